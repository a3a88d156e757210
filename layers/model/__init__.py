"""The data model: the curated tables' columns and cell parsers (``cells``, ``schema``, ``row_rules``), the checks
across rows and tables (``checks``, ``relations``), loading into an ``Atlas`` (``load``), the sector vocabulary
(``sectors``), problems as reported (``problems``) and the data report (``report``). Nothing here draws or labels."""
