import { newQuickJSWASMModule } from "quickjs-emscripten";
const q = await newQuickJSWASMModule();
for (const code of ["let a=[]; for(;;) a.push('x'.repeat(1<<20)+a.length)", "let a=[]; for(;;) a.push(new Array(1e5).fill())"]) {
  const rt = q.newRuntime(); rt.setMemoryLimit(8*1024*1024); rt.setMaxStackSize(256*1024);
  let calls = 0, last = performance.now(), maxGap = 0; const gaps: number[] = [];
  const t0 = performance.now();
  rt.setInterruptHandler(() => { const n = performance.now(); const g = n - last; if (g > 20) gaps.push(Math.round(g)); maxGap = Math.max(maxGap, g); last = n; calls++; return n - t0 > 50; });
  const vm = rt.newContext();
  const r = vm.evalCode(code);
  console.log(code, (performance.now()-t0).toFixed(0), "calls", calls, "maxGap", maxGap.toFixed(0), gaps.slice(0,20), r.error ? vm.dump(r.error) : "ok");
  r.error?.dispose(); r.value?.dispose?.();
  vm.dispose(); rt.dispose();
}
