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

// A static page's title, from its interactive island when what it shows changes.
export function setTitle(title) {
  document.title = title;
}

// Called from the first interactive render of the layout (or, on a static page, of its island), so it never runs on
// prerendered HTML or on a page with nothing interactive.
export function markCircuitConnected() {
  document.documentElement.dataset.circuit = "connected";
}
