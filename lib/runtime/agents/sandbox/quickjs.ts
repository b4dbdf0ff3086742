// The QuickJS WebAssembly module (loaded once per sandbox worker thread, offline; shared by the
// worker's runs). Every run creates its
// own QuickJS runtime and context inside it, with its own heap limit, and disposes both. Should
// the module itself ever abort (a QuickJS assertion), it is discarded and the next run loads a
// fresh one, so one bad run cannot break later ones.
import { newQuickJSWASMModule, type QuickJSWASMModule } from "quickjs-emscripten";

let loading: Promise<QuickJSWASMModule> | undefined;
let discarded = 0;

export function loadQuickJS(): Promise<QuickJSWASMModule> {
  loading ??= newQuickJSWASMModule();
  return loading;
}

/** Forgets a module that aborted; the next run loads a new one. */
export function discardQuickJS(module: QuickJSWASMModule): void {
  void loading?.then((current) => {
    if (current === module) {
      loading = undefined;
      discarded++;
    }
  });
}

/** How many modules were discarded after an abort (0 in a healthy process). */
export function discardedModules(): number {
  return discarded;
}
