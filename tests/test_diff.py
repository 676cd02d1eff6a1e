"""articles.diff: word-level text diffs and revision comparisons. No database."""

from __future__ import annotations

import copy

from django.utils.safestring import SafeData

from articles.diff import Section, diff_revisions, diff_text, has_changes, tokenise

SCRIPT = "<script>alert(1)</script>"


def content(**overrides) -> dict:
    """A `Revision.content()` dict."""
    base = {
        "title": "Reset a password",
        "language": "en",
        "tags": ["accounts", "passwords"],
        "body": "",
        "steps": [],
        "faqs": [],
    }
    base.update(overrides)
    return base


def step(id: str, title: str, body: str = "") -> dict:
    return {"id": id, "title": title, "body": body}


def faq(id: str, question: str, answer: str, alternatives: list[str] | None = None) -> dict:
    return {"id": id, "question": question, "alternatives": alternatives or [], "answer": answer}


STEPS = [
    step("s-a", "Open settings", "Click the gear icon."),
    step("s-b", "Choose security", "Select the Security tab."),
    step("s-c", "Reset", "Press Reset and confirm."),
]


def by_label(sections: list[Section]) -> dict[str, Section]:
    return {section.label: section for section in sections}


def summary(sections: list[Section]) -> list[tuple[str, str, str]]:
    return [(section.label, section.status, section.anchor) for section in sections]


# --- diff_text ------------------------------------------------------------------------------


def test_tokenise_round_trips_and_is_unicode_aware():
    text = "Lumière Énergie: café—ouvert!\n\n  Next line."
    tokens = tokenise(text)
    assert "".join(tokens) == text
    assert "Lumière" in tokens and "Énergie" in tokens and "café" in tokens
    assert tokens[:4] == ["Lumière", " ", "Énergie", ":"]


def test_identical_text_is_plain():
    html = diff_text("Nothing changed here.", "Nothing changed here.")
    assert html == "Nothing changed here."
    assert isinstance(html, SafeData)


def test_word_changes_inside_a_paragraph():
    old = "The quick brown fox jumps over the lazy dog."
    new = "The quick red fox leaped over the lazy dog!"
    assert diff_text(old, new) == (
        "The quick <del>brown</del><ins>red</ins> fox <del>jumps</del><ins>leaped</ins>"
        " over the lazy dog<del>.</del><ins>!</ins>"
    )


def test_pure_insertion_and_deletion():
    assert diff_text("Call the desk.", "Call the help desk.") == "Call the <ins>help </ins>desk."
    assert diff_text("Call the help desk.", "Call the desk.") == "Call the <del>help </del>desk."


def test_adjacent_word_changes_are_one_run():
    assert diff_text("press the red button now", "press a green button now") == (
        "press <del>the red</del><ins>a green</ins> button now"
    )


def test_empty_sides():
    assert diff_text("", "") == ""
    assert diff_text("", "New text") == "<ins>New text</ins>"
    assert diff_text("Old text", "") == "<del>Old text</del>"


def test_newlines_are_kept_as_is():
    old = "First paragraph.\n\nSecond paragraph stays."
    new = "First paragraph, edited.\n\nSecond paragraph stays.\n"
    assert diff_text(old, new) == (
        "First paragraph<ins>, edited</ins>.\n\nSecond paragraph stays.<ins>\n</ins>"
    )


def test_changes_on_separate_lines_stay_separate():
    assert diff_text("one\ntwo", "uno\ndos") == "<del>one</del><ins>uno</ins>\n<del>two</del><ins>dos</ins>"


def test_script_is_escaped_on_both_sides():
    html = diff_text(f"Before {SCRIPT} after", f"Before {SCRIPT.replace('1', '2')} after")
    assert "<script" not in html
    assert html == "Before &lt;script&gt;alert(<del>1</del><ins>2</ins>)&lt;/script&gt; after"


def test_script_only_in_removed_or_inserted_text_is_escaped():
    assert diff_text(SCRIPT, "") == "<del>&lt;script&gt;alert(1)&lt;/script&gt;</del>"
    assert diff_text("", SCRIPT) == "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>"
    html = diff_text("safe", SCRIPT)
    assert html == "<del>safe</del><ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>"


def test_entities_and_quotes_are_escaped_on_both_sides():
    html = diff_text('Tom &amp; "Jerry"', "Tom &amp; 'Jerry'")
    assert html == "Tom &amp;amp; <del>&quot;</del><ins>&#x27;</ins>Jerry<del>&quot;</del><ins>&#x27;</ins>"
    assert diff_text("a & b", "a & c") == "a &amp; <del>b</del><ins>c</ins>"


def test_markup_tags_cannot_be_forged_from_source():
    html = diff_text("x</del><img src=x onerror=alert(1)>", "y</ins><b>")
    assert "<img" not in html and "<b>" not in html
    assert html == (
        "<del>x</del><ins>y</ins>&lt;/<del>del</del><ins>ins</ins>&gt;"
        "&lt;<del>img src=x onerror=alert(1)</del><ins>b</ins>&gt;"
    )


# --- diff_revisions: common fields ----------------------------------------------------------


def test_identical_revisions_have_no_changes():
    for kind, extra in [
        ("article", {"body": "Some *Markdown*."}),
        ("guide", {"steps": STEPS}),
        ("faq", {"faqs": [faq("q1", "Why?", "Because.", ["How come?"])]}),
    ]:
        sections = diff_revisions(content(**extra), copy.deepcopy(content(**extra)), kind)
        assert not has_changes(sections), kind
        assert {section.status for section in sections} == {"unchanged"}


def test_article_sections():
    old = content(body="Open the portal.")
    new = content(title="Reset your password", tags=["accounts", "security"], body="Open the portal.")
    sections = diff_revisions(old, new, "article")
    assert [(s.label, s.status) for s in sections] == [
        ("Title", "changed"),
        ("Tags", "changed"),
        ("Language", "unchanged"),
        ("Body", "unchanged"),
    ]
    labelled = by_label(sections)
    assert labelled["Title"].html == "Reset <del>a</del><ins>your</ins> password"
    assert labelled["Tags"].html == "accounts, <del>passwords</del><ins>security</ins>"
    assert labelled["Language"].html == "en"
    assert labelled["Body"].html == "Open the portal."
    assert has_changes(sections)


def test_body_section_only_when_a_side_has_one():
    assert "Body" not in by_label(diff_revisions(content(), content(), "guide"))
    sections = by_label(diff_revisions(content(), content(body="Intro."), "guide"))
    assert sections["Body"].status == "changed"
    assert sections["Body"].html == "<ins>Intro.</ins>"


def test_language_change():
    section = by_label(diff_revisions(content(), content(language="fr"), "article"))["Language"]
    assert (section.status, section.html) == ("changed", "<del>en</del><ins>fr</ins>")


def test_html_in_every_field_is_escaped():
    old = content(title=SCRIPT, tags=[SCRIPT], body=SCRIPT, steps=[step("s", SCRIPT, SCRIPT)])
    new = content(
        title=SCRIPT + "!", tags=[SCRIPT, "&amp;"], body=SCRIPT + '"', steps=[step("s", SCRIPT, SCRIPT + "x")]
    )
    sections = [s for s in diff_revisions(old, new, "guide") if s.label != "Language"]
    assert len(sections) == 4
    for section in sections:
        assert "<script" not in section.html, section.label
        assert "&lt;script&gt;" in section.html, section.label


# --- guides ---------------------------------------------------------------------------------


def test_reorder_pairs_steps_by_id_and_marks_moves():
    new_steps = [STEPS[2], STEPS[0], STEPS[1]]
    sections = diff_revisions(content(steps=STEPS), content(steps=new_steps), "guide")
    assert summary(sections)[3:] == [
        ("Step 1: Reset", "moved", "step-1"),
        ("Step 2: Open settings", "unchanged", "step-2"),
        ("Step 3: Choose security", "unchanged", "step-3"),
    ]
    assert sections[3].html == "Reset\n\nPress Reset and confirm."
    assert has_changes(sections)


def test_swap_marks_one_step_moved():
    new_steps = [STEPS[1], STEPS[0], STEPS[2]]
    sections = diff_revisions(content(steps=STEPS), content(steps=new_steps), "guide")
    statuses = [s.status for s in sections[3:]]
    assert statuses.count("moved") == 1 and statuses.count("unchanged") == 2


def test_changed_step_two_only():
    new_steps = copy.deepcopy(STEPS)
    new_steps[1]["body"] = "Select the Privacy tab."
    sections = diff_revisions(content(steps=STEPS), content(steps=new_steps), "guide")
    assert summary(sections)[3:] == [
        ("Step 1: Open settings", "unchanged", "step-1"),
        ("Step 2: Choose security", "changed", "step-2"),
        ("Step 3: Reset", "unchanged", "step-3"),
    ]
    assert sections[4].html == "Choose security\n\nSelect the <del>Security</del><ins>Privacy</ins> tab."
    assert [s.label for s in sections if s.status != "unchanged"] == ["Step 2: Choose security"]


def test_changed_step_title_shows_in_the_diff_and_new_title_in_the_label():
    new_steps = copy.deepcopy(STEPS)
    new_steps[2]["title"] = "Reset it"
    section = diff_revisions(content(steps=STEPS), content(steps=new_steps), "guide")[-1]
    assert (section.label, section.status) == ("Step 3: Reset it", "changed")
    assert section.html == "Reset<ins> it</ins>\n\nPress Reset and confirm."


def test_added_step():
    new_steps = [STEPS[0], step("s-new", "Sign in", "Use your <b>badge</b>."), STEPS[1], STEPS[2]]
    sections = diff_revisions(content(steps=STEPS), content(steps=new_steps), "guide")
    assert summary(sections)[3:] == [
        ("Step 1: Open settings", "unchanged", "step-1"),
        ("Step 2: Sign in", "added", "step-2"),
        ("Step 3: Choose security", "unchanged", "step-3"),
        ("Step 4: Reset", "unchanged", "step-4"),
    ]
    assert sections[4].html == "<ins>Sign in</ins>\n\n<ins>Use your &lt;b&gt;badge&lt;/b&gt;.</ins>"


def test_removed_step_keeps_its_old_number_and_place():
    sections = diff_revisions(content(steps=STEPS), content(steps=[STEPS[0], STEPS[2]]), "guide")
    assert summary(sections)[3:] == [
        ("Step 1: Open settings", "unchanged", "step-1"),
        ("Step 2: Choose security", "removed", "step-2-removed"),
        ("Step 2: Reset", "unchanged", "step-2"),
    ]
    assert sections[4].html == "<del>Choose security</del>\n\n<del>Select the Security tab.</del>"
    anchors = [s.anchor for s in sections if s.anchor]
    assert len(anchors) == len(set(anchors))


def test_removed_first_step_and_step_without_body():
    old_steps = [step("s-0", "Wait"), *STEPS]
    sections = diff_revisions(content(steps=old_steps), content(steps=STEPS), "guide")
    assert summary(sections)[3] == ("Step 1: Wait", "removed", "step-1-removed")
    assert sections[3].html == "<del>Wait</del>"
    assert [s.status for s in sections[4:]] == ["unchanged"] * 3


def test_all_steps_replaced():
    sections = diff_revisions(content(steps=STEPS[:1]), content(steps=[step("s-z", "Done")]), "guide")
    assert summary(sections)[3:] == [
        ("Step 1: Open settings", "removed", "step-1-removed"),
        ("Step 1: Done", "added", "step-1"),
    ]


def test_steps_ignored_for_articles():
    sections = diff_revisions(content(steps=STEPS), content(steps=[]), "article")
    assert [s.label for s in sections] == ["Title", "Tags", "Language"]


def test_labels_are_plain_text_for_the_template_to_escape():
    steps = [step("s", SCRIPT, "body")]
    sections = diff_revisions(content(steps=steps), content(steps=steps), "guide")
    label = sections[-1].label
    assert label == f"Step 1: {SCRIPT}"
    assert not isinstance(label, SafeData)
    assert all(isinstance(s.html, SafeData) for s in sections)


# --- FAQs -----------------------------------------------------------------------------------


FAQS = [
    faq("q-1", "How do I reset my password?", "Use the portal.", ["Forgot password", "Password reset"]),
    faq("q-2", "Who do I call?", "The help desk."),
]


def test_faq_pairs_by_id():
    new_faqs = copy.deepcopy(FAQS)
    new_faqs[0]["alternatives"] = ["Forgot password", "Lost password"]
    new_faqs[0]["answer"] = "Use the self-service portal."
    new_faqs.reverse()
    sections = diff_revisions(content(faqs=FAQS), content(faqs=new_faqs), "faq")
    assert summary(sections)[3:] == [
        ("Question 1: Who do I call?", "moved", "faq-1"),
        ("Question 2: How do I reset my password?", "changed", "faq-2"),
    ]
    assert sections[3].html == "Who do I call?\n\nThe help desk."
    assert sections[4].html == (
        "How do I reset my password?\n\n"
        "Forgot password\n<del>Password reset</del><ins>Lost password</ins>\n\n"
        "Use the <ins>self-service </ins>portal."
    )


def test_faq_added_and_removed():
    new_faqs = [FAQS[0], faq("q-3", "Is it <free>?", "Yes & no.", ["Cost?"])]
    sections = diff_revisions(content(faqs=FAQS), content(faqs=new_faqs), "faq")
    assert summary(sections)[3:] == [
        ("Question 1: How do I reset my password?", "unchanged", "faq-1"),
        ("Question 2: Who do I call?", "removed", "faq-2-removed"),
        ("Question 2: Is it <free>?", "added", "faq-2"),
    ]
    assert sections[4].html == "<del>Who do I call?</del>\n\n<del>The help desk.</del>"
    assert (
        sections[5].html == "<ins>Is it &lt;free&gt;?</ins>\n\n<ins>Cost?</ins>\n\n<ins>Yes &amp; no.</ins>"
    )


def test_has_changes():
    assert not has_changes([])
    assert not has_changes([Section("Title", "unchanged", diff_text("a", "a"))])
    assert has_changes([Section("Step 1: x", "moved", diff_text("a", "a"), "step-1")])
