/** The bundled dataset's host lists, made at build time by scripts/build/dataset-core.ts. */
declare module 'virtual:banlens/dataset-hosts' {
  const hosts: import('./core').PlatformHosts[];
  export default hosts;
}
