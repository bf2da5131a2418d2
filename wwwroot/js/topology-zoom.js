// Zoom (mouse wheel; +, -, reset buttons) and pan (drag the background) for SVG graphs marked data-zoomable.
// The view lives in the transform of the graph's <g data-zoom-layer>, an attribute Blazor never renders, so the
// live re-renders of the page (probe cycles, sync runs) keep the user's zoom and position.
(() => {
  const MIN = 0.25, MAX = 8;
  const views = new Map(); // by svg id: a graph Blazor re-creates (back from a drill-down) gets its view back
  const layerOf = svg => svg.querySelector(':scope > g[data-zoom-layer]');
  const viewOf = svg => views.get(svg.id) ?? { k: 1, x: 0, y: 0 };

  // The view is remembered per browser, so a reload or a later visit opens the graph where the user left it.
  const storageKey = svg => `meshportal:zoom:${svg.id}`;
  function restore(svg) {
    try {
      const saved = JSON.parse(localStorage.getItem(storageKey(svg)) ?? 'null');
      if (saved && [saved.k, saved.x, saved.y].every(Number.isFinite)) views.set(svg.id, saved);
    } catch { /* a corrupt or blocked storage just means the default view */ }
  }

  function apply(svg, view) {
    views.set(svg.id, view);
    try { localStorage.setItem(storageKey(svg), JSON.stringify(view)); } catch { /* storage full or blocked */ }
    const layer = layerOf(svg);
    if (layer) {
      layer.setAttribute('transform', `translate(${view.x.toFixed(1)} ${view.y.toFixed(1)}) scale(${view.k.toFixed(3)})`);
    }
    svg.dataset.zoom = view.k.toFixed(3);
  }

  function toSvg(svg, clientX, clientY) {
    const point = svg.createSVGPoint();
    point.x = clientX;
    point.y = clientY;
    return point.matrixTransform(svg.getScreenCTM().inverse());
  }

  function zoomAt(svg, factor, cx, cy) {
    const view = viewOf(svg);
    const k = Math.min(MAX, Math.max(MIN, view.k * factor));
    const f = k / view.k;
    apply(svg, { k, x: cx - (cx - view.x) * f, y: cy - (cy - view.y) * f });
  }

  document.addEventListener('wheel', e => {
    const svg = e.target.closest?.('svg[data-zoomable]');
    if (!svg) return;
    e.preventDefault();
    const p = toSvg(svg, e.clientX, e.clientY);
    zoomAt(svg, e.deltaY < 0 ? 1.2 : 1 / 1.2, p.x, p.y);
  }, { passive: false });

  document.addEventListener('click', e => {
    const button = e.target.closest?.('[data-zoom-action]');
    const svg = button && document.getElementById(button.dataset.zoomTarget);
    if (!svg) return;
    const box = svg.viewBox.baseVal;
    const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
    switch (button.dataset.zoomAction) {
      case 'in': zoomAt(svg, 1.25, cx, cy); break;
      case 'out': zoomAt(svg, 1 / 1.25, cx, cy); break;
      default: apply(svg, { k: 1, x: 0, y: 0 });
    }
  });

  // Panning starts only on the background surface, so clicks on clusters and edges keep opening their details.
  let drag = null;
  document.addEventListener('pointerdown', e => {
    if (!e.target.matches?.('[data-pan-surface]')) return;
    const svg = e.target.ownerSVGElement;
    const p = toSvg(svg, e.clientX, e.clientY);
    drag = { svg, px: p.x, py: p.y, view: viewOf(svg) };
    e.target.setPointerCapture?.(e.pointerId);
    svg.style.cursor = 'grabbing';
  });
  document.addEventListener('pointermove', e => {
    if (!drag) return;
    const p = toSvg(drag.svg, e.clientX, e.clientY);
    apply(drag.svg, { k: drag.view.k, x: drag.view.x + p.x - drag.px, y: drag.view.y + p.y - drag.py });
  });
  document.addEventListener('pointerup', () => {
    if (drag) drag.svg.style.cursor = '';
    drag = null;
  });

  // When Blazor replaces the layer element (e.g. back from a drill-down), put the remembered view back on it.
  new MutationObserver(() => {
    document.querySelectorAll('svg[data-zoomable]').forEach(svg => {
      if (!views.has(svg.id)) restore(svg);
      const layer = layerOf(svg);
      if (views.has(svg.id) && layer && !layer.hasAttribute('transform')) apply(svg, views.get(svg.id));
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
