// Tables wider than their box scroll sideways; on a phone that is easy to miss. Each
// `.table-scroll` under the root gets data-overflow ("start", "middle", "end" or "none"),
// which the stylesheet turns into shadows at the edges that hide more, and a line above
// it that says the table scrolls, shown only while it does.
const SCROLLER = '.table-scroll';

export function watchScrollCues(root: HTMLElement): void {
  const resize = new ResizeObserver((entries) => {
    for (const entry of entries) update(entry.target as HTMLElement);
  });
  const watched = new WeakSet<HTMLElement>();
  const attach = () => {
    for (const scroller of Array.from(root.querySelectorAll<HTMLElement>(SCROLLER))) {
      if (watched.has(scroller)) continue;
      watched.add(scroller);
      const hint = document.createElement('p');
      hint.className = 'scroll-hint';
      hint.setAttribute('aria-hidden', 'true');
      hint.textContent = 'Scroll sideways for more columns →';
      scroller.before(hint);
      scroller.addEventListener('scroll', () => update(scroller), { passive: true });
      // Keyboard users can scroll it too, once it has the focus.
      if (!scroller.hasAttribute('tabindex')) scroller.tabIndex = 0;
      resize.observe(scroller);
      const table = scroller.querySelector('table');
      if (table) resize.observe(table);
      update(scroller);
    }
  };
  new MutationObserver(attach).observe(root, { childList: true, subtree: true });
  attach();
}

function update(element: HTMLElement): void {
  const scroller = element.matches(SCROLLER) ? element : element.closest<HTMLElement>(SCROLLER);
  if (!scroller) return;
  const room = scroller.scrollWidth - scroller.clientWidth;
  const at = scroller.scrollLeft;
  const state = room <= 1 ? 'none' : at <= 1 ? 'start' : at >= room - 1 ? 'end' : 'middle';
  scroller.dataset.overflow = state;
  const hint = scroller.previousElementSibling;
  if (hint instanceof HTMLElement && hint.classList.contains('scroll-hint')) hint.hidden = state === 'none';
}
