// crmorg interactive org chart: zoom, pan, fold branches and find names in the inline
// SVG charts of chart.html. No network, no library. Without JavaScript the static SVG
// stays as it is, every box a link.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  function setup(section) {
    var figure = section.querySelector(".chart-viewport");
    var svg = figure && figure.querySelector("svg");
    if (!svg) return;
    var controls = section.querySelector(".chart-controls");
    var found = section.querySelector(".chart-found");
    var full = svg.viewBox.baseVal;
    var home = { x: full.x, y: full.y, w: full.width, h: full.height };
    var view = { x: home.x, y: home.y, w: home.w, h: home.h };
    figure.classList.add("js");
    controls.hidden = false;

    function apply() {
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
    }
    function zoom(factor, cx, cy) {
      var w = Math.min(home.w * 4, Math.max(40, view.w * factor));
      var h = w * view.h / view.w;
      if (cx === undefined) { cx = view.x + view.w / 2; cy = view.y + view.h / 2; }
      view.x = cx - (cx - view.x) * (w / view.w);
      view.y = cy - (cy - view.y) * (h / view.h);
      view.w = w; view.h = h;
      apply();
    }
    function fit() {
      var box = figure.getBoundingClientRect();
      var ratio = box.height > 0 ? box.width / box.height : home.w / home.h;
      view.w = Math.max(home.w, home.h * ratio);
      view.h = view.w / ratio;
      view.x = home.x - (view.w - home.w) / 2;
      view.y = home.y;
      apply();
    }
    function toUser(clientX, clientY) {
      var box = svg.getBoundingClientRect();
      return {
        x: view.x + (clientX - box.left) / box.width * view.w,
        y: view.y + (clientY - box.top) / box.height * view.h,
      };
    }

    // Folding: a node's children come from the data-parent attributes.
    var nodes = {};
    var children = {};
    svg.querySelectorAll("g.node[data-node]").forEach(function (g) {
      var id = g.getAttribute("data-node");
      nodes[id] = g;
      var parent = g.getAttribute("data-parent");
      if (parent) (children[parent] = children[parent] || []).push(id);
    });
    var links = {};
    svg.querySelectorAll("path.link[data-child]").forEach(function (p) {
      links[p.getAttribute("data-child")] = p;
    });
    var folded = {};
    var toggles = {};
    function refresh() {
      var hidden = {};
      Object.keys(nodes).forEach(function (id) {
        var g = nodes[id];
        var p = g.getAttribute("data-parent");
        hidden[id] = !!p && (hidden[p] || folded[p]);
      });
      Object.keys(nodes).forEach(function (id) {
        var target = nodes[id].parentNode.localName === "a" ? nodes[id].parentNode : nodes[id];
        target.style.display = hidden[id] ? "none" : "";
        if (links[id]) links[id].style.display = hidden[id] ? "none" : "";
        if (toggles[id]) {
          toggles[id].style.display = hidden[id] ? "none" : "";
          toggles[id].querySelector("text").textContent = folded[id] ? "+" : "\u2212";
          toggles[id].setAttribute("aria-expanded", folded[id] ? "false" : "true");
        }
      });
    }
    var layer = document.createElementNS(SVG, "g");
    layer.setAttribute("class", "toggles");
    svg.appendChild(layer);
    var label = figure.getAttribute("data-toggle-label") || "";
    Object.keys(children).forEach(function (id) {
      var rect = nodes[id].querySelector("rect.box");
      var x = rect.x.baseVal.value + rect.width.baseVal.value / 2;
      var y = rect.y.baseVal.value + rect.height.baseVal.value;
      var g = document.createElementNS(SVG, "g");
      g.setAttribute("class", "toggle");
      g.setAttribute("tabindex", "0");
      g.setAttribute("role", "button");
      g.setAttribute("aria-label", label + ": " + nodes[id].querySelector("title").textContent.split("\n")[0]);
      var circle = document.createElementNS(SVG, "circle");
      circle.setAttribute("cx", x); circle.setAttribute("cy", y); circle.setAttribute("r", 7);
      var text = document.createElementNS(SVG, "text");
      text.setAttribute("x", x); text.setAttribute("y", y + 4);
      g.appendChild(circle); g.appendChild(text);
      function flip(event) {
        event.preventDefault();
        folded[id] = !folded[id];
        refresh();
      }
      g.addEventListener("click", flip);
      g.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") flip(event);
      });
      layer.appendChild(g);
      toggles[id] = g;
    });
    refresh();

    // Find: mark the boxes whose text holds the query; Enter centres the next one.
    var matches = [];
    var current = -1;
    function find(query) {
      var q = query.trim().toLowerCase();
      matches = [];
      current = -1;
      Object.keys(nodes).forEach(function (id) {
        var hit = q && nodes[id].textContent.toLowerCase().indexOf(q) >= 0;
        nodes[id].classList.toggle("match", !!hit);
        if (hit) matches.push(id);
      });
      found.textContent = q ? String(matches.length) : "";
    }
    function show(id) {
      var p = nodes[id].getAttribute("data-parent");
      while (p) { folded[p] = false; p = nodes[p].getAttribute("data-parent"); }
      refresh();
      var rect = nodes[id].querySelector("rect.box");
      var w = Math.min(view.w, Math.max(600, home.w / 8));
      view.h = w * view.h / view.w; view.w = w;
      view.x = rect.x.baseVal.value + rect.width.baseVal.value / 2 - view.w / 2;
      view.y = rect.y.baseVal.value + rect.height.baseVal.value / 2 - view.h / 2;
      apply();
    }

    controls.addEventListener("click", function (event) {
      var action = event.target.getAttribute && event.target.getAttribute("data-action");
      if (action === "zoom-in") zoom(1 / 1.5);
      else if (action === "zoom-out") zoom(1.5);
      else if (action === "fit") fit();
      else if (action === "expand") { folded = {}; refresh(); }
      else if (action === "collapse") {
        Object.keys(children).forEach(function (id) { folded[id] = !!nodes[id].getAttribute("data-parent"); });
        refresh();
      }
    });
    var input = controls.querySelector("input[data-action=find]");
    input.addEventListener("input", function () { find(input.value); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && matches.length) {
        event.preventDefault();
        current = (current + 1) % matches.length;
        show(matches[current]);
      }
    });

    // Pan by dragging; a drag does not follow the link it started on.
    var drag = null;
    var moved = false;
    svg.addEventListener("pointerdown", function (event) {
      drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y };
      moved = false;
    });
    window.addEventListener("pointermove", function (event) {
      if (!drag) return;
      var dx = event.clientX - drag.x;
      var dy = event.clientY - drag.y;
      if (!moved && Math.abs(dx) + Math.abs(dy) < 5) return;
      moved = true;
      var box = svg.getBoundingClientRect();
      view.x = drag.vx - dx / box.width * view.w;
      view.y = drag.vy - dy / box.height * view.h;
      apply();
    });
    window.addEventListener("pointerup", function () { drag = null; });
    svg.addEventListener("click", function (event) {
      if (moved) { event.preventDefault(); moved = false; }
    }, true);
    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var at = toUser(event.clientX, event.clientY);
      zoom(event.deltaY > 0 ? 1.2 : 1 / 1.2, at.x, at.y);
    }, { passive: false });
    fit();
  }

  document.querySelectorAll(".interactive-chart").forEach(setup);
})();
