// What the server cannot know or do for the reader: their time zone, copying an id to the clipboard, and marking
// the page as live once the circuit has rendered it.
export function timeZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Older browsers, or a page without clipboard permission: the selection fallback.
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

// Called from the layout's first interactive render, so it never runs on prerendered or statically rendered pages.
export function markCircuitConnected() {
  document.documentElement.dataset.circuit = "connected";
}
