// pack preview: the pack's pages and what is left to do, kept up to date by the server's
// events. Text from the pack is only ever set as text (never as HTML); everything loads from
// this server (its Content-Security-Policy allows nothing else).
"use strict";

const $ = (id) => document.getElementById(id);

function make(tag, text, className) {
  const element = document.createElement(tag);
  if (text !== undefined && text !== null) element.textContent = String(text);
  if (className) element.className = className;
  return element;
}

function pageLink(text, page) {
  const link = make("a", text);
  link.href = "#page-" + page;
  return link;
}

function showPages(state) {
  const main = $("pages");
  const changed = new Set(state.changed || []);
  const wanted = new Set();
  for (const page of state.pages) {
    const id = "page-" + page.n;
    wanted.add(id);
    let figure = document.getElementById(id);
    if (!figure) {
      figure = make("figure");
      figure.id = id;
      const image = make("img");
      image.alt = "Page " + page.n;
      image.loading = page.n <= 3 ? "eager" : "lazy";
      image.addEventListener("load", () => { figure.dataset.shown = image.dataset.image; });
      // what the page says, for a screen reader: the image is a picture of text
      const text = make("div", undefined, "page-text");
      text.id = id + "-text";
      image.setAttribute("aria-describedby", text.id);
      figure.append(image, make("figcaption", "Page " + page.n), text);
      main.append(figure);
    }
    figure.querySelector(".page-text").textContent = page.text || "";
    const image = figure.querySelector("img");
    image.width = page.w;
    image.height = page.h;
    if (image.dataset.image !== page.image) {
      image.dataset.image = page.image;
      figure.dataset.image = page.image;
      image.src = "/page/" + page.image + ".png";
    }
    figure.classList.toggle("changed", changed.has(page.n));
  }
  for (const figure of Array.from(main.children)) {
    if (!wanted.has(figure.id)) figure.remove();
  }
  if (!state.pages.length) {
    const failed = state.status && state.status.state === "failed";
    main.replaceChildren(make("p", failed
      ? "No pages yet: the pack could not be built. Fix the findings and save; the pages appear here."
      : "Building the pack: the pages appear here in a moment.", "empty"));
  }
  if (state.focus && changed.size) {
    document.body.dataset.focus = state.focus;
    const figure = document.getElementById("page-" + state.focus);
    const box = figure && figure.getBoundingClientRect();
    if (box && (box.top < 0 || box.top > window.innerHeight * 0.6)) {
      figure.scrollIntoView({ block: "start" });
    }
  }
}

function showStatus(state) {
  $("pack").textContent = state.pack || "Building the pack…";
  const status = $("status");
  const s = state.status || {};
  status.className = "status " + (s.state || "");
  status.textContent = s.state === "failed"
    ? "Not built at " + s.at + ": " + s.message + ". The pages shown are the last good ones."
    : s.state === "built" ? "Up to date, built at " + s.at : "Building: " + s.message;
  document.title = (s.state === "failed" ? "✗ " : "") + (state.pack || "pack preview");
}

function showFindings(panel) {
  const list = $("findings");
  list.replaceChildren();
  $("finding-count").textContent = "(" + panel.summary + ")";
  if (!panel.findings.length) {
    list.append(make("li", "Nothing to fix.", "none"));
  }
  for (const finding of panel.findings) {
    const item = make("li", undefined, finding.level);
    item.dataset.code = finding.code;
    item.append(make("div", finding.where, "where"));
    const message = make("p");
    message.append(make("span", finding.level, "level"), document.createTextNode(finding.message));
    item.append(message);
    if (finding.fix) item.append(make("p", finding.fix, "fix"));
    list.append(item);
  }
}

function showWords(panel, starts) {
  const body = $("words").tBodies[0];
  body.replaceChildren();
  for (const row of panel.words) {
    const tr = make("tr");
    tr.dataset.question = row.question;
    const title = make("td");
    const heading = "Question " + row.question + ": " + row.title;
    const label = row.question + ". " + row.title;
    title.append(starts[heading] ? pageLink(label, starts[heading]) : make("span", label));
    if (row.limit && row.words !== null) {
      const meter = make("div", undefined, "meter");
      const bar = make("span");
      bar.style.width = Math.min(100, (100 * row.words) / row.limit) + "%";
      meter.append(bar);
      title.append(meter);
      if (row.words > row.limit) tr.className = "over";
    }
    const words = make("td", row.words === null ? "—" : row.words, "n words-count");
    tr.append(title, words, make("td", row.limit || "", "n"));
    body.append(tr);
  }
}

function showWindow(panel) {
  const box = $("window");
  const w = panel.window;
  box.replaceChildren(make("strong", w.days >= 0 ? w.days + (w.days === 1 ? " day" : " days") + " left" : "closed"));
  box.append(document.createTextNode(w.name + " window: deadline " + w.deadline));
  box.className = "window" + (w.days < 14 ? " soon" : "");
}

function showPlan(panel) {
  const table = $("plan");
  table.tHead.replaceChildren();
  table.tBodies[0].replaceChildren();
  $("plan-file").textContent = panel.plan ? panel.plan.file : "No plan could be read.";
  if (!panel.plan) return;
  const head = make("tr");
  panel.plan.head.forEach((name, i) => head.append(make("th", name, i ? "n" : "")));
  table.tHead.append(head);
  for (const row of panel.plan.rows) {
    const tr = make("tr");
    row.forEach((value, i) => tr.append(make(i ? "td" : "th", value, i ? "n" : "")));
    table.tBodies[0].append(tr);
  }
}

function showAppendices(panel) {
  const list = $("appendices");
  list.replaceChildren();
  if (!panel.appendices.length) list.append(make("li", "None."));
  for (const row of panel.appendices) {
    const item = make("li");
    item.append(row.page ? pageLink(row.heading, row.page) : make("span", row.heading));
    const pages = row.page ? "p. " + row.page + (row.pages > 1 ? "–" + (row.page + row.pages - 1) : "") : "not built";
    item.append(make("span", pages, "pageno"));
    list.append(item);
  }
}

function showContents(state) {
  const list = $("contents");
  list.replaceChildren();
  for (const section of state.sections) {
    const item = make("li", undefined, section.level ? "sub" : "");
    item.append(pageLink(section.title, section.page), make("span", "p. " + section.page, "pageno"));
    list.append(item);
  }
}

function show(state) {
  showStatus(state);
  showPages(state);
  showContents(state);
  const panel = state.panel;
  if (!panel) return;
  const starts = {};
  for (const section of state.sections) starts[section.title] = section.page;
  showFindings(panel);
  showWords(panel, starts);
  showWindow(panel);
  showPlan(panel);
  showAppendices(panel);
  document.body.dataset.version = state.version;
}

const events = new EventSource("/events");
events.onmessage = (event) => show(JSON.parse(event.data));
events.onerror = () => {
  // the browser tries again by itself; until then, say that the page may be out of date
  $("status").textContent = "Not connected to pack preview (stopped?): the page may be out of date.";
  $("status").className = "status failed";
};
