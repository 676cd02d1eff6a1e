"""The sizes the product documents for one article (README: 1 MB of Markdown, 100 steps,
200 questions), and what a form post must be able to carry for them.

Pure constants (no Django): the settings compute DATA_UPLOAD_MAX_NUMBER_FIELDS and
DATA_UPLOAD_MAX_MEMORY_SIZE from them, and the Markdown renderer's worker process imports them.
"""

from __future__ import annotations

MAX_SOURCE_BYTES = 1_000_000  # the Markdown of one article: body, steps, questions and answers (UTF-8)
MAX_STEPS = 100
MAX_FAQS = 200
MAX_ALTERNATIVES = 20  # other ways customers ask one question
MAX_QUESTION_CHARS = 300  # a question, and each alternative phrasing

# The editor's form: the article's own fields (csrf token, kind, title, collection, language,
# tags, review date, confidential, summary, body, base revision, action, and a suggestion's
# reason) and per row the fields of a FAQ pair (id, delete, question, order, alternatives,
# answer; a step has one fewer).
FORM_FIELDS = 13
ROW_FIELDS = 6
FIELD_NAME_BYTES = 40  # "faqs-0123456789-alternatives=" and its separator, rounded up
# Percent-encoding (application/x-www-form-urlencoded) takes up to 3 bytes per byte: é is %C3%A9.
PERCENT_ENCODED_BYTES = 3
# The documented maxima, twice over, still reach the form: past the limits by up to that much,
# the author gets the editor back with the product's message ("a FAQ has at most 200
# questions", "the limit is 1000 KB") and their text, never Django's bare 400.
MARGIN = 2

MAX_ROWS = max(MAX_STEPS, MAX_FAQS)
MAX_FORM_FIELDS = MARGIN * (FORM_FIELDS + ROW_FIELDS * MAX_ROWS)  # 2,426
# The source, plus the alternative phrasings (not part of the 1 MB), plus the field names.
MAX_CONTENT_BYTES = MAX_SOURCE_BYTES + MAX_FAQS * MAX_ALTERNATIVES * MAX_QUESTION_CHARS
MAX_FORM_BYTES = MARGIN * (PERCENT_ENCODED_BYTES * MAX_CONTENT_BYTES + MAX_FORM_FIELDS * FIELD_NAME_BYTES)  # ~13.4 MB
