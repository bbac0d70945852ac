// Regelkode playground: "Prøv en sag" and "Prøv eksemplerne" on the review site.
// A classic script (it must run from file://, where module imports are refused). It
// finds .rk-proev and .rk-eksempler elements, loads the pack's generated module
// (regelkode-<pack>.js) and data (proev-data.js) next to the pack's pages, builds
// the case form from the module's FAKTA, and shows reports. Text from rules and
// cases is only ever set as textContent.
(function () {
  "use strict";

  var me = document.currentScript;
  var ROOT = me && me.src ? me.src.replace(/assets\/regelkode-proev\.js([?#].*)?$/, "") : "";
  var STATUS_ORD = {
    opfyldt: "opfyldt", brud: "brud", "opmærksomhed": "opmærksomhed",
    ikke_relevant: "ikke relevant", ukendt: "ukendt", konflikt: "konflikt",
  };
  var loading = {};

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k];
      else if (k === "class") e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return e;
  }

  function script(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("kunne ikke indlæse " + src)); };
      document.head.appendChild(s);
    });
  }

  function loadPack(id) {
    if (!loading[id]) {
      var base = ROOT + "genereret/" + encodeURIComponent(id) + "/";
      loading[id] = script(base + "regelkode-" + encodeURIComponent(id) + ".js")
        .then(function () { return script(base + "proev-data.js"); })
        .then(function () {
          return { mod: globalThis.Regelkode[id], data: globalThis.RegelkodeProev[id] };
        });
    }
    return loading[id];
  }

  // A docs page (…/x.md) as a URL from the site root, whichever URL style the site uses.
  function pageUrl(mdPath, anchor) {
    var p = mdPath.replace(/\.md$/, "");
    var dirUrls = !/\.html$/.test(location.pathname) || /\/index\.html$/.test(location.pathname);
    var url = dirUrls ? p + "/" + (location.protocol === "file:" ? "index.html" : "") : p + ".html";
    return ROOT + url + (anchor ? "#" + encodeURIComponent(anchor) : "");
  }

  // --- the form: one widget per type descriptor; get() gives JSON data, null = ukendt ---

  function tal(text) {
    var t = text.trim();
    if (t === "") return null;
    if (/^-?[0-9]+$/.test(t)) {
      var n = BigInt(t);
      return n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n;
    }
    return t;        // the module refuses it with its own message
  }

  function kroner(text) {
    var t = text.trim();
    if (t === "") return null;
    if (/^-?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?$/.test(t) || /^-?[0-9]+,[0-9]+$/.test(t)) {
      t = t.replace(/\./g, "").replace(",", ".");       // Danish 12.326,50
    }
    return /^-?[0-9]+$/.test(t) ? tal(t) : t;
  }

  function widget(typ, name) {
    var kind = typ[0];
    if (kind === "sandhedsværdi" || kind === "enum") {
      var values = kind === "enum" ? typ[2] : [true, false];
      var sel = el("select", { name: name, "data-type": kind }, [el("option", { value: "", text: "(ukendt)" })]);
      values.forEach(function (v, i) {
        sel.appendChild(el("option", { value: String(i), text: kind === "enum" ? v : (v ? "ja" : "nej") }));
      });
      return {
        el: sel,
        get: function () { return sel.value === "" ? null : values[Number(sel.value)]; },
        set: function (v) {
          var i = values.indexOf(v);
          sel.value = i < 0 ? "" : String(i);
        },
      };
    }
    if (kind === "post") {
      var box = el("div", { class: "rk-post" });
      var fields = typ[2].map(function (f) {
        var w = widget(f[1], name + "." + f[0]);
        box.appendChild(el("label", { class: "rk-felt" }, [el("span", { text: f[0] }), w.el]));
        return [f[0], w];
      });
      return {
        el: box,
        get: function (inList) {
          var out = {}, any = false;
          fields.forEach(function (f) {
            var v = f[1].get();
            if (v !== null) { out[f[0]] = v; any = true; }
          });
          return any || inList ? out : null;
        },
        set: function (v) {
          fields.forEach(function (f) { f[1].set(v && typeof v === "object" && f[0] in v ? v[f[0]] : null); });
        },
      };
    }
    if (kind === "liste") {
      var wrap = el("div", { class: "rk-liste", "data-type": "liste" });
      var ukendt = el("input", { type: "checkbox", class: "rk-ukendt" });
      var rows = el("div", { class: "rk-raekker" });
      var items = [];
      var add = el("button", { type: "button", class: "rk-tilfoej", text: "Tilføj" });
      function addRow(v) {
        var w = widget(typ[1], name + "[" + items.length + "]");
        var row = el("div", { class: "rk-raekke" }, [w.el]);
        var del = el("button", { type: "button", class: "rk-fjern", text: "Fjern" });
        var entry = { w: w, row: row };
        del.onclick = function () {
          items.splice(items.indexOf(entry), 1);
          rows.removeChild(row);
        };
        row.appendChild(del);
        rows.appendChild(row);
        items.push(entry);
        if (v !== undefined) w.set(v);
        ukendt.checked = false;
      }
      add.onclick = function () { addRow(); };
      wrap.appendChild(el("label", { class: "rk-ukendt-label" }, [ukendt, " ukendt"]));
      wrap.appendChild(rows);
      wrap.appendChild(add);
      return {
        el: wrap,
        get: function () {
          if (ukendt.checked) return null;
          return items.map(function (it) {
            var v = it.w.get(true);
            return v === null ? null : v;
          });
        },
        set: function (v) {
          items.slice().forEach(function (it) { rows.removeChild(it.row); });
          items.length = 0;
          if (Array.isArray(v)) {
            v.forEach(function (x) { addRow(x); });
            ukendt.checked = false;
          } else {
            ukendt.checked = true;
          }
        },
      };
    }
    if (kind === "varighed") {
      var m = el("input", { type: "text", inputmode: "numeric", size: "4", "aria-label": name + " måneder" });
      var d = el("input", { type: "text", inputmode: "numeric", size: "4", "aria-label": name + " dage" });
      return {
        el: el("span", { class: "rk-varighed" }, [m, " måneder ", d, " dage"]),
        get: function () {
          var mm = tal(m.value), dd = tal(d.value);
          if (mm === null && dd === null) return null;
          var out = {};
          if (mm !== null) out["måneder"] = mm;
          if (dd !== null) out.dage = dd;
          return out;
        },
        set: function (v) {
          m.value = v && v["måneder"] !== undefined && v["måneder"] !== null ? String(v["måneder"]) : "";
          d.value = v && v.dage !== undefined && v.dage !== null ? String(v.dage) : "";
        },
      };
    }
    var input = el("input", { name: name, "data-type": kind });
    if (kind === "dato") {
      input.type = "date";
      input.min = "0001-01-01";
      input.max = "9999-12-31";
    } else {
      input.type = "text";
      if (kind === "heltal") input.inputMode = "numeric";
      if (kind === "beløb" || kind === "decimal") input.inputMode = "decimal";
    }
    return {
      el: input,
      get: function () {
        if (kind === "heltal") return tal(input.value);
        if (kind === "beløb" || kind === "decimal") return kroner(input.value);
        return input.value === "" ? null : input.value;
      },
      set: function (v) { input.value = v === null || v === undefined ? "" : String(v); },
    };
  }

  // --- the report, shown as the site shows rules ---

  function compact(v) {
    if (v !== null && typeof v === "object" && v.ukendt === true) {
      return "ukendt" + (v.mangler && v.mangler.length ? " (mangler " + v.mangler.join(", ") + ")" : "");
    }
    if (v === true) return "ja";
    if (v === false) return "nej";
    if (v === null) return "–";
    if (Array.isArray(v)) return v.length ? "[" + v.map(compact).join(", ") + "]" : "[]";
    if (typeof v === "object") {
      return "{" + Object.keys(v).map(function (k) { return k + ": " + compact(v[k]); }).join(", ") + "}";
    }
    return String(v);
  }

  // r is one rule of the report's toDict(): it names the facts and definitions it
  // reads; their values are in the report's own fakta and definitioner (d).
  function ruleBlock(r, d, data) {
    var info = data.regler[r.id];
    var title = info ? el("a", { href: pageUrl(info.side, r.id), text: r.titel }) : el("span", { text: r.titel });
    var block = el("div", { class: "rk-regel rk-" + r.status, "data-regel": r.id, "data-status": r.status }, [
      el("div", { class: "rk-regel-top" }, [
        el("span", { class: "rk-status", text: STATUS_ORD[r.status] || r.status }), " ", title,
        " ", el("code", { text: r.id })]),
    ]);
    if (r.meddelelse) block.appendChild(el("p", { class: "rk-meddelelse", text: r.meddelelse }));
    if (r.kilder.length) block.appendChild(el("p", { class: "rk-kilder", text: "Kilder: " + r.kilder.join("; ") }));
    var facts = r.fakta, defs = r.definitioner;
    if (facts.length || defs.length) {
      var dl = el("dl", { class: "rk-brugt" });
      facts.forEach(function (k) {
        dl.appendChild(el("dt", {}, [el("a", { href: pageUrl(data.datamodel, k), text: k })]));
        dl.appendChild(el("dd", { text: compact(d.fakta[k]) }));
      });
      defs.forEach(function (k) {
        dl.appendChild(el("dt", { text: k + " (definition)" }));
        dl.appendChild(el("dd", { text: compact(d.definitioner[k]) }));
      });
      block.appendChild(el("details", {}, [el("summary", { text: "Bygger på" }), dl]));
    }
    return block;
  }

  function showReport(out, mod, data, rapport) {
    var d = rapport.toDict();
    out.textContent = "";
    var counts = Object.keys(d.opsummering).filter(function (s) { return d.opsummering[s]; })
      .map(function (s) { return d.opsummering[s] + " " + (STATUS_ORD[s] || s); });
    out.appendChild(el("p", { class: "rk-opsummering" }, [
      el("strong", { text: "Bedømt pr. " + d.beregningsdato + ": " }), counts.join(", ") + "."]));
    var vis = el("input", { type: "checkbox", class: "rk-vis-irrelevante" });
    out.appendChild(el("label", {}, [vis, " vis også regler, der ikke er relevante"]));
    var list = el("div", { class: "rk-regler" });
    var order = ["brud", "konflikt", "opmærksomhed", "ukendt", "opfyldt", "ikke_relevant"];
    order.forEach(function (status) {
      d.regler.forEach(function (r) {
        if (r.status === status) list.appendChild(ruleBlock(r, d, data));
      });
    });
    list.classList.add("rk-skjul-irrelevante");
    vis.onchange = function () { list.classList.toggle("rk-skjul-irrelevante", !vis.checked); };
    out.appendChild(list);
    var json = el("pre", { class: "rk-rapport-json", text: mod.jsonTekst(d, 2) });
    out.appendChild(el("details", {}, [el("summary", { text: "Rapporten som JSON" }), json]));
  }

  function showError(out, exc) {
    out.textContent = "";
    if (exc && exc.name === "SagFejl") {
      out.appendChild(el("div", { class: "rk-fejl", "data-sti": exc.sti }, [
        el("strong", { text: "Sagen afvises: " }), el("code", { text: exc.sti }), " " + exc.besked]));
    } else {
      out.appendChild(el("div", { class: "rk-fejl", text: "Fejl: " + (exc && exc.message || exc) }));
    }
  }

  function jsonOf(mod, value) {
    return mod.jsonTekst(value, 2);
  }

  function playground(root, pack) {
    var mod = pack.mod, data = pack.data;
    root.textContent = "";
    var widgets = {};
    var picker = el("select", { class: "rk-sagsvalg" }, [el("option", { value: "", text: "(tom sag)" })]);
    data.sager.forEach(function (s, i) { picker.appendChild(el("option", { value: String(i), text: s.navn })); });
    var dato = el("input", { type: "date", class: "rk-beregningsdato", min: "0001-01-01", max: "9999-12-31" });
    var beskrivelse = el("p", { class: "rk-beskrivelse" });
    var form = el("div", { class: "rk-form" });
    Object.keys(mod.FAKTA).forEach(function (name) {
      var w = widget(mod.FAKTA[name], name);
      widgets[name] = w;
      var label = el("div", { class: "rk-navn" }, [
        el("a", { href: pageUrl(data.datamodel, name), text: name })]);
      if (data.fakta[name]) label.appendChild(el("div", { class: "rk-hjaelp", text: data.fakta[name] }));
      form.appendChild(el("div", { class: "rk-faktum", "data-faktum": name }, [label, el("div", {}, [w.el])]));
    });
    var run = el("button", { type: "button", class: "md-button md-button--primary rk-bedoem", text: "Bedøm sagen" });
    var json = el("textarea", { class: "rk-sag-json", rows: "12", spellcheck: "false" });
    var runJson = el("button", { type: "button", class: "md-button rk-bedoem-json", text: "Bedøm JSON'en" });
    var out = el("div", { class: "rk-resultat", "aria-live": "polite" });

    function fill(sag) {
      Object.keys(widgets).forEach(function (n) { widgets[n].set(sag && n in sag ? sag[n] : null); });
      dato.value = sag && typeof sag.beregningsdato === "string" ? sag.beregningsdato : "";
      beskrivelse.textContent = sag && typeof sag.beskrivelse === "string" ? sag.beskrivelse : "";
    }

    function read() {
      var sag = {};
      if (dato.value) sag.beregningsdato = dato.value;
      Object.keys(widgets).forEach(function (n) {
        var v = widgets[n].get();
        if (v !== null) sag[n] = v;
      });
      return sag;
    }

    function judge(sag) {
      try {
        showReport(out, mod, data, mod.evaluate(sag));
      } catch (exc) {
        showError(out, exc);
      }
    }

    picker.onchange = function () {
      var s = picker.value === "" ? null : data.sager[Number(picker.value)].sag;
      fill(s);
      json.value = s ? jsonOf(mod, s) : "{}";
      out.textContent = "";
    };
    run.onclick = function () {
      var sag = read();
      json.value = jsonOf(mod, sag);
      judge(sag);
    };
    runJson.onclick = function () {
      var sag;
      try {
        sag = mod.lesJson(json.value.trim());   // numbers exactly as Python's json reads them
      } catch (exc) {
        showError(out, new Error("ugyldig JSON: " + exc.message));
        return;
      }
      judge(sag);
    };

    root.appendChild(el("p", {}, [el("label", {}, ["Eksempelsag: ", picker]), " ",
      el("label", {}, ["Beregningsdato: ", dato])]));
    root.appendChild(beskrivelse);
    root.appendChild(form);
    root.appendChild(el("p", {}, [run]));
    root.appendChild(el("details", { class: "rk-json" }, [el("summary", { text: "Sagen som JSON" }), json,
      el("p", {}, [runJson])]));
    root.appendChild(out);
    if (data.sager.length) {
      picker.value = "0";
      picker.onchange();
    }
    root.setAttribute("data-klar", "ja");
  }

  function examples(box, pack) {
    var id = box.getAttribute("data-regel");
    var list = pack.data.eksempler[id] || [];
    var table = el("table", { class: "rk-eksempel-resultat" }, [el("thead", {}, [el("tr", {}, [
      el("th", { text: "Eksempel" }), el("th", { text: "Forventet" }), el("th", { text: "Fik" }), el("th", { text: "" })])])]);
    var body = el("tbody");
    list.forEach(function (ex) {
      var got, ok;
      try {
        got = pack.mod.evaluate(ex.sag, { dato: ex.dato }).regel(id).status;
        ok = got === ex.forventet;
      } catch (exc) {
        got = exc && exc.name === "SagFejl" ? "afvist: " + exc.message : String(exc);
        ok = false;
      }
      body.appendChild(el("tr", { class: ok ? "rk-ok" : "rk-afviger", "data-status": String(got) }, [
        el("td", { text: ex.navn }), el("td", { text: STATUS_ORD[ex.forventet] || String(ex.forventet) }),
        el("td", { text: STATUS_ORD[got] || got }), el("td", { text: ok ? "✓" : "✗ afviger" })]));
    });
    table.appendChild(body);
    var old = box.querySelector("table");
    if (old) box.removeChild(old);
    box.appendChild(table);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".rk-proev[data-pakke]"), function (root) {
      loadPack(root.getAttribute("data-pakke")).then(function (p) { playground(root, p); }, function (exc) {
        root.textContent = "Prøv en sag kunne ikke starte: " + exc.message;
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll(".rk-eksempler[data-pakke]"), function (box) {
      var button = box.querySelector("button");
      if (!button) return;
      button.onclick = function () {
        loadPack(box.getAttribute("data-pakke")).then(function (p) { examples(box, p); }, function (exc) {
          box.appendChild(el("p", { class: "rk-fejl", text: exc.message }));
        });
      };
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
