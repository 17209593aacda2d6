/**
 * The dashboard's only script: the gallery search form. It calls the same HTTP search route as any client and
 * shows the hits as thumbnails. Kept inline so the page has no external assets.
 */
export const DASHBOARD_SCRIPT = `
const form = document.getElementById('search-form');
if (form) form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const gallery = data.get('gallery');
  const out = document.getElementById('search-results');
  out.textContent = 'searching…';
  const res = await fetch('/v1/galleries/' + encodeURIComponent(gallery) + '/search', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ itemId: data.get('itemId'), mode: data.get('mode'), k: 10 }),
  });
  const body = await res.json();
  if (!res.ok) { out.textContent = body.error ? body.error.message : 'search failed'; return; }
  out.innerHTML = '';
  const caption = document.createElement('p');
  caption.textContent = body.hits.length + ' hits (' + body.mode + ', ' + Math.round(body.backfilledFraction * 100) + '% backfilled, ' + body.latencyMs.toFixed(1) + ' ms)';
  out.appendChild(caption);
  for (const hit of body.hits) {
    const img = document.createElement('img');
    img.src = '/v1/galleries/' + encodeURIComponent(gallery) + '/items/' + encodeURIComponent(hit.id) + '.png';
    img.alt = hit.id; img.title = hit.id + ' label ' + hit.label + ' (' + hit.space + ', d=' + hit.distance.toFixed(3) + ')';
    img.className = 'hit'; img.dataset.label = String(hit.label);
    out.appendChild(img);
  }
});`;
