/* Progressive enhancement only: every form works without this file. */
(function () {
  "use strict";

  var script = document.currentScript;
  var leaflet = null; // the callbacks waiting for Leaflet, once it is being loaded

  // Leaflet is big for a slow phone: it is fetched only when someone asks for a map.
  function withLeaflet(ready, failed) {
    if (window.L) return ready(window.L);
    if (leaflet) return leaflet.push([ready, failed]);
    leaflet = [[ready, failed]];
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = script.dataset.leafletCss;
    document.head.appendChild(css);
    var js = document.createElement("script");
    js.src = script.dataset.leafletJs;
    js.onload = function () {
      leaflet.forEach(function (cb) { cb[0](window.L); });
    };
    js.onerror = function () {
      var waiting = leaflet;
      leaflet = null;
      waiting.forEach(function (cb) { cb[1](); });
    };
    document.head.appendChild(js);
  }

  // A map whose tiles come from the configured server. When the tiles cannot load (no
  // network, server down) the page says so once; what the map shows is in a list too.
  function makeMap(L, el, tiles, attribution, onTilesFailed) {
    var map = L.map(el);
    var warned = false;
    var credit = document.createElement("span");
    credit.textContent = attribution;
    L.tileLayer(tiles, { maxZoom: 19, attribution: credit.innerHTML })
      .on("tileerror", function () {
        if (!warned) onTilesFailed();
        warned = true;
      })
      .addTo(map);
    return map;
  }

  // The show/hide button of a map; `open` builds the map the first time it is shown.
  function mapToggle(button, el, open) {
    button.addEventListener("click", function () {
      var show = el.hidden;
      el.hidden = !show;
      button.setAttribute("aria-expanded", String(show));
      if (show) open();
    });
  }

  function placePicker(root) {
    var form = root.closest("form");
    var text = form.querySelector('[name="' + root.dataset.textName + '"]');
    var lat = form.querySelector('input[type="hidden"][name="lat"]');
    var lon = form.querySelector('input[type="hidden"][name="lon"]');
    var status = root.querySelector("[data-place-status]");
    var mapEl = root.querySelector("[data-map]");
    var mapButton = root.querySelector("[data-map-show]");
    var locate = root.querySelector("[data-locate]");
    var map = null;
    var marker = null;
    root.querySelector("[data-place-extras]").hidden = false;

    function show(lt, ln) {
      if (!map) return;
      if (marker) marker.setLatLng([lt, ln]);
      else marker = window.L.marker([lt, ln]).addTo(map);
      map.setView([lt, ln], Math.max(map.getZoom(), 15));
    }

    function setPoint(lt, ln, message) {
      lat.value = lt.toFixed(6);
      lon.value = ln.toFixed(6);
      show(lt, ln);
      status.textContent = message;
    }

    mapToggle(mapButton, mapEl, function () {
      if (map) return map.invalidateSize();
      withLeaflet(
        function (L) {
          var centre = (root.dataset.centre || "").split(",").map(parseFloat);
          var known = centre.length === 2 && !isNaN(centre[0]) && !isNaN(centre[1]);
          map = makeMap(L, mapEl, root.dataset.tiles, root.dataset.attribution, function () {
            status.textContent = root.dataset.msgNoTiles;
          });
          map.setView(known ? centre : [20, 0], known ? 12 : 2);
          map.on("click", function (event) {
            setPoint(event.latlng.lat, event.latlng.lng, root.dataset.msgPinned);
          });
          if (lat.value && lon.value) show(parseFloat(lat.value), parseFloat(lon.value));
        },
        function () {
          mapEl.hidden = true;
          mapButton.hidden = true;
          status.textContent = root.dataset.msgNoMap;
        }
      );
    });

    // Typing a place replaces a point set earlier, so what the person sees is what is sent.
    text.addEventListener("input", function () {
      lat.value = "";
      lon.value = "";
      if (marker) {
        map.removeLayer(marker);
        marker = null;
      }
      status.textContent = "";
    });

    if (!("geolocation" in navigator)) {
      locate.hidden = true;
      return;
    }
    locate.addEventListener("click", function () {
      status.textContent = root.dataset.msgLocating;
      navigator.geolocation.getCurrentPosition(
        function (pos) {
          setPoint(pos.coords.latitude, pos.coords.longitude, root.dataset.msgLocated);
        },
        function () {
          status.textContent = root.dataset.msgFailed;
        },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 }
      );
    });
  }

  // The asks of the list on a map: a circle the size of the public area, never a point.
  function listMap(box) {
    var mapEl = box.querySelector("[data-map]");
    var status = box.querySelector("[data-map-status]");
    var button = box.querySelector("[data-map-show]");
    // The list the map draws: the board's results, or the one the box names.
    var list = document.getElementById(box.dataset.list || "board-results");
    var map = null;
    var layer = null;
    box.hidden = false;

    function draw() {
      if (!map) return;
      layer.clearLayers();
      list.querySelectorAll("[data-lat][data-lon]").forEach(function (card) {
        var link = card.querySelector("a");
        var point = [parseFloat(card.dataset.lat), parseFloat(card.dataset.lon)];
        if (!link || isNaN(point[0]) || isNaN(point[1])) return;
        var popup = document.createElement("p");
        var a = popup.appendChild(document.createElement("a"));
        a.href = link.getAttribute("href");
        a.textContent = link.textContent;
        popup.appendChild(document.createElement("br"));
        popup.appendChild(document.createTextNode(box.dataset.msgArea));
        // An ask's public area is about 1 km across; a group's area says its own size.
        var radius = parseFloat(card.dataset.radiusM) || 500;
        var colour = card.dataset.short ? "#b3261e" : "#3388ff";
        window.L.circle(point, { radius: radius, weight: 2, color: colour })
          .bindPopup(popup)
          .addTo(layer);
      });
      var bounds = layer.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 14, padding: [20, 20] });
    }

    function open() {
      if (map) return map.invalidateSize();
      withLeaflet(
        function (L) {
          map = makeMap(L, mapEl, box.dataset.tiles, box.dataset.attribution, function () {
            status.textContent = box.dataset.msgNoTiles;
          });
          map.setView([20, 0], 2); // the whole world until the asks are drawn
          layer = L.featureGroup().addTo(map);
          draw();
        },
        function () {
          button.hidden = true;
          mapEl.hidden = true;
          status.textContent = box.dataset.msgNoMap;
        }
      );
    }

    mapToggle(button, mapEl, open);
    // The board's map view shows the map from the start, in the room the page kept for it.
    if (!mapEl.hidden) open();
    // The filters swap the list in place (HTMX): the map follows the list.
    document.body.addEventListener("htmx:after:swap", draw);
  }

  // A group's area page: its area and the areas it overlaps, and drawing a new one. The
  // drawing is written into the form's GeoJSON box, which also takes a pasted area.
  function areaMap(box) {
    var mapEl = box.querySelector("[data-map]");
    var status = box.querySelector("[data-map-status]");
    var outlines = JSON.parse(document.getElementById(box.dataset.outlines).textContent);
    var form = document.querySelector("[data-area-form]");
    withLeaflet(
      function (L) {
        var map = makeMap(L, mapEl, box.dataset.tiles, box.dataset.attribution, function () {
          status.textContent = box.dataset.msgNoTiles;
        });
        var shown = L.featureGroup().addTo(map);
        // Not clickable: a click inside the area adds a corner when drawing.
        L.geoJSON(outlines.group, { interactive: false, style: { weight: 3 } }).addTo(shown);
        outlines.overlaps.forEach(function (other) {
          L.geoJSON(other.outline, { style: { color: "#b3261e", weight: 2, dashArray: "6 4" } })
            .bindTooltip(other.name)
            .addTo(shown);
        });
        var bounds = shown.getBounds();
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20] });
        else map.setView([20, 0], 2);
        if (form) drawing(L, map, form);
      },
      function () {
        mapEl.hidden = true;
        status.textContent = box.dataset.msgNoMap;
      }
    );

    function drawing(L, map, form) {
      var buttons = form.querySelector("[data-draw-buttons]");
      var start = form.querySelector("[data-draw-start]");
      var finish = form.querySelector("[data-draw-finish]");
      var clear = form.querySelector("[data-draw-clear]");
      var text = form.querySelector('[name="area"]');
      var corners = [];
      var shape = null;
      var active = false;
      buttons.hidden = false;

      function redraw() {
        if (shape) map.removeLayer(shape);
        shape = corners.length
          ? L.polygon(corners, { color: "#1b6e3a", interactive: false }).addTo(map)
          : null;
      }
      start.addEventListener("click", function () {
        active = true;
        corners = [];
        redraw();
        start.hidden = true;
        finish.hidden = clear.hidden = false;
        status.textContent = box.dataset.msgDrawing;
      });
      clear.addEventListener("click", function () {
        corners = [];
        redraw();
        text.value = "";
      });
      map.on("click", function (event) {
        if (!active) return;
        corners.push([event.latlng.lat, event.latlng.lng]);
        redraw();
      });
      finish.addEventListener("click", function () {
        if (corners.length < 3) {
          status.textContent = box.dataset.msgTooFew;
          return;
        }
        active = false;
        // GeoJSON is longitude first, and a ring ends where it starts.
        var ring = corners.map(function (c) { return [c[1], c[0]]; });
        ring.push(ring[0]);
        text.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
        start.hidden = false;
        finish.hidden = true;
        status.textContent = box.dataset.msgDrawn;
      });
    }
  }

  function locateInto(button) {
    if (!("geolocation" in navigator)) return;
    var input = document.getElementById(button.dataset.locateInto);
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        // Four decimals (about 10 m) is plenty to sort the board by distance.
        input.value = pos.coords.latitude.toFixed(4) + ", " + pos.coords.longitude.toFixed(4);
        input.form.requestSubmit();
      });
    });
  }

  // A button that copies the text of another element (the asker's private link). Without
  // the clipboard API (an old phone, a page not served over HTTPS) the text is selected,
  // so the phone's own copy menu is one tap away.
  function copyButton(button) {
    var source = document.getElementById(button.dataset.copy);
    var status = button.parentNode.querySelector(".copy-status");
    if (!source) return;
    button.hidden = false;
    function selectText() {
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
    button.addEventListener("click", function () {
      var text = source.textContent.trim();
      var said = function (message) { if (status) status.textContent = message; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(
          function () { said(button.dataset.copied); },
          function () { selectText(); said(button.dataset.copyFailed); }
        );
      } else {
        selectText();
        said(button.dataset.copyFailed);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-copy]").forEach(copyButton);
    document.querySelectorAll("[data-place-picker]").forEach(placePicker);
    document.querySelectorAll("[data-map-box]").forEach(listMap);
    document.querySelectorAll("[data-area-map]").forEach(areaMap);
    document.querySelectorAll("[data-locate-into]").forEach(locateInto);
  });
})();
