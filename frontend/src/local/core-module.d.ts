// The ES module factory Emscripten writes for wasm/core_api.cpp (wasm/CMakeLists.txt).
declare module '@core-module/fastthread-core.mjs' {
  const createFastThreadCore: (overrides?: { locateFile?: (path: string) => string }) => Promise<unknown>;
  export default createFastThreadCore;
}
