// Charts are inline SVG rendered at build time, so they read and print without this file.
// With JavaScript on, each chart is re-rendered from its Vega-Lite spec by the vega-embed
// bundle served from this site (no CDN), which adds tooltips. Loaded as a module: deferred.
import "./vega-embed.js";

const figures = document.querySelectorAll("figure.chart[data-spec]");
for (const figure of figures) {
  const holder = figure.querySelector(".chart-svg");
  const label = holder.querySelector("svg") ? holder.querySelector("svg").getAttribute("aria-label") : "";
  fetch(figure.dataset.spec)
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then((spec) => {
      // embed into a fresh child: vega-embed makes its target inline-block, which would widen
      // the page on phones; the holder stays a block that scrolls its content
      const target = document.createElement("div");
      return window.vegaEmbed(target, spec, { actions: false, renderer: "svg" }).then((result) => {
        holder.replaceChildren(target);
        return result;
      });
    })
    .then((result) => {
      const svg = holder.querySelector("svg");
      if (svg && label) {
        svg.setAttribute("role", "img");
        svg.setAttribute("aria-label", label);
      }
      figure.classList.add("interactive");
      return result;
    })
    .catch(() => { /* keep the static SVG */ });
}
