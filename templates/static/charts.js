// Charts are inline SVG rendered at build time, so they read and print without this file.
// With JavaScript on, each chart is re-rendered from its Vega-Lite spec by the vega-embed
// bundle served from this site (no CDN), which adds tooltips. Loaded as a module: deferred.
// On a phone the page shows each chart's narrow drawing (made at build time for that width);
// the desktop spec is embedded only while the screen is wide enough for it, and on the first
// change to a wide screen (a rotated tablet) when it was not.
import "./vega-embed.js";

const wide = window.matchMedia("(min-width: 40.0625rem)");

function embed(figure) {
  if (figure.dataset.embedding) return;
  figure.dataset.embedding = "1";
  const holder = figure.querySelector(".chart-wide") || figure.querySelector(".chart-svg");
  const label = holder.querySelector("svg") ? holder.querySelector("svg").getAttribute("aria-label") : "";
  fetch(figure.dataset.spec)
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then((spec) => {
      // embed into a fresh child: vega-embed makes its target inline-block, which would widen
      // the page; the holder stays a block
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

function embedAll() {
  if (!wide.matches) return;
  for (const figure of document.querySelectorAll("figure.chart[data-spec]")) embed(figure);
}

embedAll();
wide.addEventListener("change", embedAll);
