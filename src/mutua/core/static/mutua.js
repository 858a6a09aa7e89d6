/* Progressive enhancement only: every form works without this file. */
(function () {
  "use strict";

  function placePicker(root) {
    var form = root.closest("form");
    var text = form.querySelector('[name="' + root.dataset.textName + '"]');
    var lat = form.querySelector('input[type="hidden"][name="lat"]');
    var lon = form.querySelector('input[type="hidden"][name="lon"]');
    var extras = root.querySelector("[data-place-extras]");
    var status = root.querySelector("[data-place-status]");
    var mapEl = root.querySelector("[data-map]");
    var locate = root.querySelector("[data-locate]");
    var map = null;
    var marker = null;
    extras.hidden = false;

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

    if (window.L && root.dataset.tiles) {
      var centre = (root.dataset.centre || "").split(",").map(parseFloat);
      var known = centre.length === 2 && !isNaN(centre[0]) && !isNaN(centre[1]);
      map = window.L.map(mapEl).setView(known ? centre : [20, 0], known ? 12 : 2);
      window.L.tileLayer(root.dataset.tiles, {
        maxZoom: 19,
        attribution: "&copy; OpenStreetMap contributors",
      }).addTo(map);
      map.on("click", function (event) {
        setPoint(event.latlng.lat, event.latlng.lng, root.dataset.msgPinned);
      });
      if (lat.value && lon.value) show(parseFloat(lat.value), parseFloat(lon.value));
    } else {
      mapEl.hidden = true;
    }

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

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-place-picker]").forEach(placePicker);
    document.querySelectorAll("[data-locate-into]").forEach(locateInto);
  });
})();
