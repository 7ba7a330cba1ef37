/** The bundled dataset's core, made at build time by scripts/build/dataset-core.ts. */
declare module 'virtual:banlens/dataset-core' {
  const core: import('./core').DatasetCore;
  export default core;
}
