// Text from models and programs may carry invisible direction controls: a right-to-left override
// (U+202E) makes "gnp.exe" read as "exe.png", and the controls reorder whatever follows them. In
// traces they are shown as what they are, e.g. [U+202E], so what a person reads is what was sent.
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function showControls(text: string): string {
  return text.replace(BIDI_CONTROLS, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}]`);
}
