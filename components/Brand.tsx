/** The BanLens mark at the top of every extension page, so nobody mistakes our words for a site's or a platform's. */
export function Brand({ children }: { children?: preact.ComponentChildren }) {
  return (
    <div class="brand">
      <img src="/icon/32.png" alt="" width={20} height={20} />
      <span>BanLens</span>
      {children}
    </div>
  );
}
