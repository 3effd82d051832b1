"""Every typed digit reaches a grid cell: a small script that holds the keys typed while a cell's
editor is opening, and hands them to it once it is there.

Why: Streamlit's grid (glide-data-grid) opens a cell's editor on the first key typed on a selected
cell, with that key as its text; the editor is a text area mounted a moment later. Keys typed in
between (« 55 » at typing speed, a barcode-like burst, the Enter that follows) reach the grid, not
the editor, and the grid drops them: « 55 » was stored as 5,0 (measured in Chromium: with no delay
between keys the editor held « 5 »). No rerun is involved and the server never sees the lost key,
so the fix is in the page: keys that arrive while an editor is opening (to the grid, or to the
editor before it shows its first key) are kept, then typed into the editor once it shows that key
(its value set the way React reads it, then an ``input`` event), and a held Enter, Tab or Escape
is sent to the editor after them, so it commits what was typed.
"""

from __future__ import annotations

HOLD_MS = 800
"""Longest wait for an editor to open after the first key: past it nothing is held (a read-only
cell opens no editor, and a key held for ever would be a key lost)."""


def grid_typing_script() -> str:
    return (
        "<script>(() => {\n"
        "  const doc = window.parent && window.parent.document ? window.parent.document : document;\n"
        "  if (doc.__gridTyping) return; doc.__gridTyping = true;\n"
        "  const win = doc.defaultView || window;\n"
        f"  const HOLD = {HOLD_MS};\n"
        "  let pending = null;  // {t, keys}: an editor is opening since t; keys typed meanwhile\n"
        "  const editorOf = () => doc.querySelector('textarea.gdg-input, input.gdg-input');\n"
        "  const printable = (e) => e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey;\n"
        "  const flush = () => {\n"
        "    const editor = editorOf();\n"
        "    if (!pending || !editor) return;\n"
        "    const keys = pending.keys; pending = null;\n"
        "    const text = keys.filter(k => k.length === 1).join('');\n"
        "    if (text) {\n"
        "      const proto = editor.tagName === 'TEXTAREA' ? win.HTMLTextAreaElement.prototype : win.HTMLInputElement.prototype;\n"
        "      Object.getOwnPropertyDescriptor(proto, 'value').set.call(editor, editor.value + text);\n"
        "      editor.dispatchEvent(new win.Event('input', {bubbles: true}));\n"
        "    }\n"
        "    editor.focus(); editor.selectionStart = editor.selectionEnd = editor.value.length;\n"
        "    for (const k of keys.filter(k => k.length > 1))\n"
        "      editor.dispatchEvent(new win.KeyboardEvent('keydown', {key: k, code: k, bubbles: true, cancelable: true}));\n"
        "  };\n"
        "  const soon = () => win.requestAnimationFrame(() => win.requestAnimationFrame(flush));  // once it shows its first key\n"
        "  doc.addEventListener('keydown', (e) => {\n"
        "    const target = e.target;\n"
        "    const now = win.performance.now();\n"
        "    if (pending) {\n"
        "      if (now - pending.t >= HOLD) { pending = null; return; }\n"
        "      if (printable(e) || ['Enter', 'Tab', 'Escape'].includes(e.key)) {\n"
        "        e.preventDefault(); e.stopImmediatePropagation();\n"
        "        pending.keys.push(e.key);\n"
        "        if (editorOf()) soon();\n"
        "      }\n"
        "      return;\n"
        "    }\n"
        "    if (!(target instanceof win.Element) || target.closest('.gdg-input')) return;\n"
        "    const cell = target.closest('[data-testid=stDataFrame] [role=gridcell]');\n"
        "    if (cell && cell.getAttribute('aria-readonly') === 'false' && printable(e) && !editorOf())\n"
        "      pending = {t: now, keys: []};  // this key opens the editor; the next ones wait for it\n"
        "  }, true);\n"
        "  new MutationObserver(() => { if (pending && editorOf()) soon(); })\n"
        "    .observe(doc.body, {subtree: true, childList: true});\n"
        "})();</script>"
    )
