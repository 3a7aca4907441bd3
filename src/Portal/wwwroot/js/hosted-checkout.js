// Listens for the hosted 0Gate page's postMessage. Only messages from the 0Gate hosted origin are
// considered, and they only move the browser to an outcome page: the server decides the state.
export function listen(dotNet, hostedOrigin) {
  const handler = (event) => {
    if (event.origin !== hostedOrigin) return;
    const type = event.data && typeof event.data === "object" ? event.data.type : null;
    if (type === "0gate.completed" || type === "0gate.failed" || type === "0gate.cancelled" || type === "0gate.verification_required") {
      dotNet.invokeMethodAsync("OnHostedMessage", type);
    }
  };
  window.addEventListener("message", handler);
  return { dispose: () => window.removeEventListener("message", handler) };
}
