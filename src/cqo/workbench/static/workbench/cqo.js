/* The shell's behaviour. All script lives in static files: the Content-Security-Policy forbids
   inline script. */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // htmx requests carry the CSRF token in a header (the cookie is HttpOnly, so it comes from
  // the page's meta tag).
  document.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token) {
      event.detail.headers["X-CSRFToken"] = token;
    }
  });

  // A session that ended while the page was open: htmx would swap the sign-in page into a
  // fragment; go to it properly instead.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.responseURL && xhr.responseURL.indexOf("/accounts/login") !== -1) {
      event.detail.shouldSwap = false;
      window.location.assign(xhr.responseURL);
    }
  });

  // A refusal or an error answered to an htmx request is a whole page; show its message in the
  // page's alert area instead of swapping a page into a fragment.
  document.addEventListener("htmx:responseError", function (event) {
    var area = document.getElementById("htmx-alert");
    var xhr = event.detail.xhr;
    if (!area || !xhr) {
      return;
    }
    var text = "";
    try {
      var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var parts = [doc.querySelector("h1"), doc.querySelector(".reason")];
      text = parts.filter(Boolean).map(function (el) { return el.textContent.trim(); }).join(" ");
    } catch (err) {
      text = "";
    }
    area.textContent = text || area.getAttribute("data-fallback") || String(xhr.status);
    area.hidden = false;
  });

  document.addEventListener("htmx:beforeRequest", function () {
    var area = document.getElementById("htmx-alert");
    if (area) {
      area.hidden = true;
      area.textContent = "";
    }
  });

  function setNav(open) {
    var toggle = document.querySelector("[data-nav-toggle]");
    if (!toggle) {
      return;
    }
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    document.body.classList.toggle("nav-open", open);
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-nav-toggle]");
    if (toggle) {
      setNav(toggle.getAttribute("aria-expanded") !== "true");
      return;
    }
    // Clicking outside an open user menu closes it, as menus usually behave.
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) {
        menu.removeAttribute("open");
      }
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    if (document.body.classList.contains("nav-open")) {
      setNav(false);
      var toggle = document.querySelector("[data-nav-toggle]");
      if (toggle) {
        toggle.focus();
      }
    }
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      var summary = menu.querySelector("summary");
      if (summary) {
        summary.focus();
      }
    });
  });

  // Forms that do something irreversible ask first: <form data-confirm="...">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);
  // Lists become cards on a phone (see cqo.css): each cell takes its column's name from the
  // header row, unless the template gave it one. Runs again after htmx swaps a list in.
  function labelListCells(root) {
    var tables = (root || document).querySelectorAll("table.list");
    Array.prototype.forEach.call(tables, function (table) {
      var heads = table.querySelectorAll("thead tr:first-child th");
      if (!heads.length) {
        return;
      }
      var names = Array.prototype.map.call(heads, function (th) {
        return th.textContent.replace(/\s+/g, " ").trim();
      });
      Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (tr) {
        Array.prototype.forEach.call(tr.children, function (cell, i) {
          if (!cell.hasAttribute("data-label") && names[i] !== undefined) {
            cell.setAttribute("data-label", names[i]);
          }
        });
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { labelListCells(document); });
  } else {
    labelListCells(document);
  }
  document.addEventListener("htmx:afterSwap", function (event) { labelListCells(event.target); });
})();
