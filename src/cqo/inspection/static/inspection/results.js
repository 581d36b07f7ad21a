/* The results grid: keyboard-only entry, out-of-spec cells flagged as typed, and one packed
   post of the cells typed (a lot of 315 × 10 would be more fields than a form may send).
   Enter / Shift+Enter: next / previous sample unit; arrow keys: any direction (left and right
   once the caret is at the edge of the text); Tab: across, as usual. */
(function () {
  "use strict";

  var PASS = ["ok", "pass", "y", "yes", "合格", "通过"];
  var FAIL = ["ng", "fail", "n", "no", "不合格"];

  function numberOf(text) {
    var t = String(text).trim().replace(/，/g, ".");
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) {
      return null;
    }
    return parseFloat(t);
  }

  function init(form) {
    var table = form.querySelector("table.results-grid");
    if (!table) {
      return;
    }
    var heads = {};
    table.querySelectorAll("thead th[data-col]").forEach(function (th) {
      heads[th.getAttribute("data-col")] = {
        variable: th.getAttribute("data-kind") === "variable",
        lsl: th.hasAttribute("data-lsl") ? parseFloat(th.getAttribute("data-lsl")) : null,
        usl: th.hasAttribute("data-usl") ? parseFloat(th.getAttribute("data-usl")) : null
      };
    });
    var cells = Array.prototype.slice.call(table.querySelectorAll("input.grid-cell"));
    var grid = {};
    cells.forEach(function (input) {
      grid[input.getAttribute("data-row") + ":" + input.getAttribute("data-col")] = input;
    });
    var status = form.querySelector("[data-grid-status]");

    function flag(input) {
      var head = heads[input.getAttribute("data-col")];
      var text = input.value.trim();
      var td = input.parentNode;
      var bad = false;
      var invalid = false;
      if (text !== "" && head) {
        if (head.variable) {
          var v = numberOf(text);
          if (v === null) {
            invalid = true;
          } else {
            bad = (head.lsl !== null && v < head.lsl) || (head.usl !== null && v > head.usl);
          }
        } else if (/^\d+$/.test(text)) {
          bad = parseInt(text, 10) > 0;
        } else if (FAIL.indexOf(text.toLowerCase()) !== -1) {
          bad = true;
        } else if (PASS.indexOf(text.toLowerCase()) === -1) {
          invalid = true;
        }
      }
      td.classList.toggle("out-of-spec", bad);
      td.classList.toggle("not-a-number", invalid);
      td.classList.toggle("changed", text !== (input.getAttribute("data-initial") || ""));
      if (invalid || bad) {
        input.setAttribute("aria-invalid", "true");
      } else {
        input.removeAttribute("aria-invalid");
      }
    }

    function move(input, dRow, dCol) {
      var row = parseInt(input.getAttribute("data-row"), 10);
      var col = parseInt(input.getAttribute("data-col"), 10);
      for (var step = 0; step < 2000; step += 1) {
        row += dRow;
        col += dCol;
        var next = grid[row + ":" + col];
        if (next === undefined) {
          return;
        }
        if (!next.disabled) {
          next.focus();
          next.select();
          return;
        }
      }
    }

    table.addEventListener("input", function (event) {
      if (event.target.classList.contains("grid-cell")) {
        flag(event.target);
        count();
      }
    });

    table.addEventListener("keydown", function (event) {
      var input = event.target;
      if (!input.classList || !input.classList.contains("grid-cell")) {
        if (event.key === "Enter" && input.classList && input.classList.contains("defect-type")) {
          event.preventDefault();
          var cell = input.parentNode.querySelector("input.grid-cell");
          if (cell) {
            move(cell, 1, 0);
          }
        }
        return;
      }
      var atStart = input.selectionStart === 0 && input.selectionEnd === 0;
      var atEnd = input.selectionStart === input.value.length;
      if (event.key === "Enter") {
        event.preventDefault();
        move(input, event.shiftKey ? -1 : 1, 0);
      } else if (event.key === "ArrowDown") {
        event.preventDefault();
        move(input, 1, 0);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        move(input, -1, 0);
      } else if (event.key === "ArrowRight" && atEnd) {
        event.preventDefault();
        move(input, 0, 1);
      } else if (event.key === "ArrowLeft" && atStart) {
        event.preventDefault();
        move(input, 0, -1);
      }
    });

    function count() {
      if (!status) {
        return;
      }
      var typed = 0;
      var bad = 0;
      cells.forEach(function (input) {
        if (input.parentNode.classList.contains("changed")) {
          typed += 1;
          if (input.parentNode.classList.contains("out-of-spec")) {
            bad += 1;
          }
        }
      });
      status.textContent = typed ? typed + " / " + bad + " ✗" : "";
    }

    form.addEventListener("submit", function () {
      var rows = [];
      cells.forEach(function (input) {
        var td = input.parentNode;
        var type = td.querySelector("input.defect-type");
        var text = input.value.trim();
        var changed = text !== (input.getAttribute("data-initial") || "");
        if (type && type.value.trim() !== (type.getAttribute("data-initial") || "")) {
          changed = true;
        }
        if (input.disabled || text === "" || !changed) {
          return;
        }
        var head = heads[input.getAttribute("data-col")];
        var row = {
          characteristic_id: parseInt(input.getAttribute("data-char"), 10),
          sample_no: parseInt(input.getAttribute("data-no"), 10)
        };
        if (head && head.variable) {
          row.value = text;
        } else if (/^\d+$/.test(text)) {
          row.defects = text;
        } else {
          row.conforming = text;
        }
        if (type && type.value.trim()) {
          row.defect_type = type.value.trim();
        }
        var select = form.querySelector('select[data-instrument="' + input.getAttribute("data-col") + '"]');
        if (select && select.value) {
          row.instrument_id = select.value;
        }
        rows.push(row);
      });
      var packed = form.querySelector("[data-grid-json]");
      if (packed) {
        packed.value = JSON.stringify(rows);
      }
      // The packed rows stand for every cell: the cells themselves are not sent.
      table.querySelectorAll("input").forEach(function (input) {
        input.disabled = true;
      });
    });

    cells.forEach(function (input) {
      if (input.value) {
        flag(input);
      }
    });
    var first = cells.filter(function (c) { return !c.disabled && !c.value; })[0];
    if (first) {
      first.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-results-grid]").forEach(init);
  });
})();
