from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def article_limit(name: str):
    """A size from articles.limits, e.g. {% article_limit "MAX_FORM_FIELDS" %}."""
    from articles import limits

    return getattr(limits, name)
