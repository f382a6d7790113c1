"""The finish guard: what a leader would notice on a screenshot, checked in the DOM.

:func:`finish_problems` runs in the browser page and returns one line per problem:
- a KPI figure, delta or label, a button label or a table header, cut off with an ellipsis;
- a visible "None", "nan", "NaN", "null" or "undefined";
- in Chinese, a visible Latin word outside :data:`LATIN_ALLOWED` (units, names like POS);
- a page wider than the window (horizontal overflow), or a table that scrolls sideways.

Glide data grids (``st.dataframe``) draw on a canvas: their cell texts are read from the
grid's accessibility table and a grid that scrolls sideways is reported; a header cut
inside its column cannot be seen in the DOM, so every grid is also saved as its own
screenshot for people to look at.
"""

from __future__ import annotations

import re

# Latin words a Chinese screen may show: units, standard abbreviations, product names.
LATIN_ALLOWED = frozenset(
    {
        "POS", "KPI", "SKU", "km", "m", "kg", "GPS", "ID", "YTD", "Excel", "CSV", "xlsx", "csv", "xls",
        "PDF", "pp", "GCJ", "WGS", "MB", "KB", "URL", "UTF", "GBK", "GB", "OIDC", "SSO", "UTC", "Q1", "Q2", "Q3",
        "Q4", "vs", "No", "OK", "TOP", "Top", "BI", "IT", "App", "APP", "Streamlit",
        "Noto", "CJK", "AMap", "Tianditu", "OpenStreetMap", "MapLibre", "English", "Language",
    }
)
EMPTY_WORDS = ("None", "nan", "NaN", "null", "undefined", "NaT")

_SCRIPT = r"""
() => {
  const problems = [];
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const st = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && st.visibility !== 'hidden' && st.display !== 'none';
  };
  const clipped = (el) => el.scrollWidth > el.clientWidth + 1;
  const textOf = (el) => (el.innerText || '').trim().replace(/\s+/g, ' ').slice(0, 60);
  // KPI cards: value, delta, label (and every text node inside them).
  for (const sel of ["[data-testid='stMetricValue']", "[data-testid='stMetricDelta']",
                     "[data-testid='stMetricLabel']"]) {
    for (const el of document.querySelectorAll(sel)) {
      if (!visible(el)) continue;
      const parts = [el, ...el.querySelectorAll('*')];
      if (parts.some(clipped)) problems.push(`clipped ${sel.split("'")[1]}: "${textOf(el)}"`);
    }
  }
  // Button labels (a download button in a narrow column: "Export rankin…").
  for (const button of document.querySelectorAll("[data-testid^='stBaseButton']")) {
    if (!visible(button) || !textOf(button)) continue;  // icon-only buttons have no label to cut
    if ([button, ...button.querySelectorAll('*')].some(clipped)) {
      problems.push(`clipped button: "${textOf(button)}"`);
    }
  }
  // HTML tables (st.table) headers.
  for (const th of document.querySelectorAll("[data-testid='stTable'] th")) {
    if (visible(th) && clipped(th)) problems.push(`clipped table header: "${textOf(th)}"`);
  }
  // Data grids (drawn on a canvas): sideways scrolling hides columns.
  for (const grid of document.querySelectorAll("[data-testid='stDataFrame']")) {
    if (!visible(grid)) continue;
    const scroller = grid.querySelector('.dvn-scroller');
    if (scroller && scroller.scrollWidth > scroller.clientWidth + 2) {
      problems.push(`table scrolls sideways (${scroller.scrollWidth} > ${scroller.clientWidth} px)`);
    }
  }
  // Streamlit scrolls its main section, not the document: check both.
  for (const el of [document.documentElement, ...document.querySelectorAll(
      "[data-testid='stMain'], [data-testid='stAppViewContainer'], [data-testid='stMainBlockContainer']")]) {
    if (el.scrollWidth > el.clientWidth + 1) {
      problems.push(`page overflows sideways (${el.scrollWidth} > ${el.clientWidth} px)`);
      break;
    }
  }
  return problems;
}
"""

_TEXT_SCRIPT = r"""
() => {
  // Visible text only, without Material icon ligatures (their text is the icon's name).
  const icon = "[data-testid='stIconMaterial'], .material-symbols-rounded, .material-icons, " +
               "[data-testid='stIconEmoji']";
  const out = [];
  const roots = document.querySelectorAll("[data-testid='stMain'], [data-testid='stSidebar']");
  for (const root of roots) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest(icon) || parent.closest('style, script, noscript')) continue;
      // Markdown ":material/name:" icons carry no test id: their font draws the name as a glyph.
      if (/Material (Symbols|Icons)/i.test(getComputedStyle(parent).fontFamily)) continue;
      if (!parent.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
      out.push(node.textContent);
    }
  }
  // Grid cells: the accessibility table carries the drawn text.
  for (const cell of document.querySelectorAll("[data-testid='stDataFrame'] table[role='grid'] td, " +
                                               "[data-testid='stDataFrame'] table[role='grid'] th")) {
    out.push(cell.textContent || '');
  }
  return out.join('\n');
}
"""

_WORD = re.compile(r"[A-Za-z][A-Za-z_]*[A-Za-z]")
_CODE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,2}\d{2,}(?![A-Za-z0-9])")  # D03, M012: stored codes
CODES_ALLOWED = frozenset({"GB18030", "GB2312"})


def text_problems(text: str, lang: str) -> list[str]:
    """Empty values anywhere; Latin words outside the allow-list on a Chinese screen."""
    problems = []
    for word in EMPTY_WORDS:
        if re.search(rf"(?<![A-Za-z]){word}(?![A-Za-z])", text):
            problems.append(f'visible "{word}"')
    if lang == "zh":
        stray = sorted({w for w in _WORD.findall(text) if w not in LATIN_ALLOWED})
        if stray:
            problems.append(f"Latin words on a Chinese screen: {', '.join(stray[:15])}")
        codes = sorted(set(_CODE.findall(text)) - CODES_ALLOWED)
        if codes:
            problems.append(f"raw codes on a Chinese screen: {', '.join(codes[:15])}")
    return problems


def finish_problems(browser_page: object, lang: str) -> list[str]:
    """Every finish problem visible on the page as it is now."""
    return browser_page.evaluate(_SCRIPT) + text_problems(browser_page.evaluate(_TEXT_SCRIPT), lang)
