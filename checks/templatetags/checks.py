from django import template

register = template.Library()


@register.filter
def answers_for(chosen, question_pk) -> list[int]:
    """The choices a person had ticked for a question (a form shown again keeps them)."""
    return (chosen or {}).get(question_pk, [])
