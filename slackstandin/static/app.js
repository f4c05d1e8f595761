// The demo page: renders one pretend person's Slack (their DM with Nudge, their App Home tab,
// an open modal) from the stand-in's JSON, polls it every second, and turns clicks and typing
// into requests the stand-in signs and sends to the bot exactly as Slack would.
"use strict";

const $ = (sel) => document.querySelector(sel);
let me = new URLSearchParams(location.search).get("user") || localStorage.getItem("nudge-demo-user") || "";
let tab = "messages";
let state = null;
const shown = { dm: "", home: "", modal: "", people: "", violations: "", community: "" };
let menuFor = "";  // the #community message whose "More actions" menu is open

// ---- text: Slack's escaping decoded once, then HTML-escaped -------------------------------
function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
function decodeSlack(s) {
  return String(s).replace(/&(amp|lt|gt);/g, (m, name) => ({ amp: "&", lt: "<", gt: ">" })[name]);
}
function safeUrl(url) {
  return /^(https?:|mailto:)/i.test(url) ? url : "#";
}
function renderToken(inner) {
  const [target, label] = inner.split("|", 2);
  if (target.startsWith("@")) {
    const id = target.slice(1);
    const name = (state && state.names[id]) || (label ? decodeSlack(label) : id);
    return `<span class="mention">@${escapeHtml(name)}</span>`;
  }
  if (target.startsWith("#")) {
    const id = target.slice(1);
    const name = (state && state.channels[id]) || (label ? decodeSlack(label) : id);
    return `<span class="mention">#${escapeHtml(name)}</span>`;
  }
  if (target.startsWith("!")) {
    const word = target.slice(1).split("^")[0];
    return `<span class="mention">@${escapeHtml(label ? decodeSlack(label) : word)}</span>`;
  }
  const url = decodeSlack(target);
  const text = label ? decodeSlack(label) : url;
  return `<a href="${escapeHtml(safeUrl(url))}" target="_blank" rel="noopener noreferrer">${escapeHtml(text)}</a>`;
}
const EMOJI = { wave: "👋", tada: "🎉", thumbsup: "👍", "+1": "👍", calendar: "📅", sparkles: "✨", white_check_mark: "✅", wave_tone1: "👋🏻" };
function slackText(text, mrkdwn) {
  const tokens = [];
  let s = String(text || "").replace(/<([^<>\n]+)>/g, (m, inner) => {
    tokens.push(inner);
    return `\u0000${tokens.length - 1}\u0000`;
  });
  s = escapeHtml(decodeSlack(s));
  if (mrkdwn) {
    s = s.replace(/`([^`\n]+)`/g, "<code>$1</code>");
    const edge = "(^|[\\s(\\[{“‘\"'\u0000])";
    const after = "(?=$|[\\s)\\]}.,!?:;”’\"'\u0000-])";
    s = s.replace(new RegExp(edge + "\\*([^*\\n]+?)\\*" + after, "g"), "$1<b>$2</b>");
    s = s.replace(new RegExp(edge + "_([^_\\n]+?)_" + after, "g"), "$1<i>$2</i>");
    s = s.replace(new RegExp(edge + "~([^~\\n]+?)~" + after, "g"), "$1<s>$2</s>");
    s = s.split("\n").map((line) => (line.startsWith("&gt;") ? `<span class="quote">${line.slice(4)}</span>` : line)).join("\n");
  }
  s = s.replace(/:([a-z0-9_+-]+):/g, (m, name) => EMOJI[name] || m);
  s = s.replace(/\n/g, "<br>");
  return s.replace(/\u0000(\d+)\u0000/g, (m, i) => renderToken(tokens[+i]));
}
function textObject(obj) {
  if (!obj) return "";
  if (typeof obj === "string") return slackText(obj, true);
  return slackText(obj.text, obj.type === "mrkdwn");
}
function plain(obj) {
  return obj ? escapeHtml(decodeSlack(typeof obj === "string" ? obj : obj.text)) : "";
}

// ---- Block Kit ---------------------------------------------------------------------------
function elementHtml(el, surface, index, inInput, errors) {
  const data = `data-surface='${escapeHtml(JSON.stringify(surface))}' data-block="${index}" data-action="${escapeHtml(el.action_id || "")}"`;
  switch (el.type) {
    case "button": {
      const style = el.style ? ` ${el.style}` : "";
      return `<button type="button" class="btn${style}" ${data}>${plain(el.text)}</button>`;
    }
    case "static_select":
    case "overflow": {
      const opts = (el.options || []).concat(...(el.option_groups || []).map((g) => g.options || []));
      const initial = el.initial_option ? el.initial_option.value : "";
      const placeholder = el.type === "overflow" ? "…" : plain(el.placeholder) || "Choose…";
      const options = opts.map((o) => `<option value="${escapeHtml(o.value)}"${o.value === initial ? " selected" : ""}>${plain(o.text)}</option>`).join("");
      const cls = inInput ? "" : el.type === "overflow" ? "sel overflow" : "sel";
      return `<select class="${cls}" ${data}${inInput ? ` name="${escapeHtml(el.action_id)}"` : ""}><option value="">${placeholder}</option>${options}</select>`;
    }
    case "multi_users_select":
    case "users_select": {
      const initial = new Set(el.initial_users || (el.initial_user ? [el.initial_user] : []));
      const multiple = el.type === "multi_users_select" ? " multiple" : "";
      const options = state.people.map((p) => `<option value="${escapeHtml(p.id)}"${initial.has(p.id) ? " selected" : ""}>${escapeHtml(p.real_name)}</option>`).join("");
      return `<select class="users"${multiple} ${data} name="${escapeHtml(el.action_id)}">${multiple ? "" : `<option value="">${plain(el.placeholder) || "Choose…"}</option>`}${options}</select>`;
    }
    case "external_select": {
      const initial = el.initial_option ? el.initial_option.value : "";
      const opts = (el.options || []).slice();
      if (el.initial_option && !opts.some((o) => o.value === initial)) opts.unshift(el.initial_option);
      const options = opts.map((o) => `<option value="${escapeHtml(o.value)}"${o.value === initial ? " selected" : ""}>${plain(o.text)}</option>`).join("");
      return `<select ${data} name="${escapeHtml(el.action_id)}"><option value="">${plain(el.placeholder) || "Type to search…"}</option>${options}</select>`;
    }
    case "multi_static_select":
    case "checkboxes":
    case "radio_buttons": {
      const opts = (el.options || []).concat(...(el.option_groups || []).map((g) => g.options || []));
      const initial = new Set((el.initial_options || []).map((o) => o.value).concat(el.initial_option ? [el.initial_option.value] : []));
      const kind = el.type === "radio_buttons" ? "radio" : "checkbox";
      const name = `${index}-${el.action_id}`;
      return `<div class="checks" ${data}>` + opts.map((o) =>
        `<label><input type="${kind}" name="${escapeHtml(name)}" value="${escapeHtml(o.value)}"${initial.has(o.value) ? " checked" : ""}> ${textObject(o.text)}</label>`
      ).join("") + "</div>";
    }
    case "plain_text_input":
    case "email_text_input":
    case "url_text_input":
    case "number_input": {
      const ph = el.placeholder ? ` placeholder="${plain(el.placeholder)}"` : "";
      const max = el.max_length ? ` maxlength="${+el.max_length}"` : "";
      const value = el.initial_value ? plain(el.initial_value) : "";
      if (el.multiline) return `<textarea ${data}${ph}${max}>${value}</textarea>`;
      return `<input type="text" ${data}${ph}${max} value="${value}">`;
    }
    case "image":
      return `<span class="image">[image: ${plain(el.alt_text)}]</span>`;
    default:
      return `<span class="unsupported">[${escapeHtml(el.type)}]</span>`;
  }
}
function blocksHtml(blocks, surface, errors) {
  return (blocks || []).map((b, i) => {
    switch (b.type) {
      case "section": {
        const fields = (b.fields || []).map((f) => `<div>${textObject(f)}</div>`).join("");
        const acc = b.accessory ? `<div class="accessory">${elementHtml(b.accessory, surface, i, false)}</div>` : "";
        return `<div class="block section"><div class="text">${textObject(b.text)}${fields ? `<div class="fields">${fields}</div>` : ""}</div>${acc}</div>`;
      }
      case "context":
        return `<div class="block context">` + (b.elements || []).map((e) => (e.type === "image" ? "" : `<span>${textObject(e)}</span>`)).join("") + "</div>";
      case "divider":
        return `<hr class="block">`;
      case "header":
        return `<div class="block header">${plain(b.text)}</div>`;
      case "actions":
        return `<div class="block actions">` + (b.elements || []).map((e) => elementHtml(e, surface, i, false)).join("") + "</div>";
      case "input": {
        const blockId = b.block_id || `blk${i}`;
        const error = errors && errors[blockId];
        const optional = b.optional ? ` <span class="opt">(optional)</span>` : "";
        return `<div class="block input${error ? " has-error" : ""}" data-block-id="${escapeHtml(blockId)}" data-index="${i}">` +
          `<label class="lbl">${plain(b.label)}${optional}</label>${elementHtml(b.element, surface, i, true)}` +
          (b.hint ? `<div class="hint">${plain(b.hint)}</div>` : "") +
          (error ? `<div class="error">${escapeHtml(error)}</div>` : "") + "</div>";
      }
      case "image":
        return `<div class="block">[image: ${plain(b.alt_text)}]</div>`;
      default:
        return `<div class="block unsupported">[${escapeHtml(b.type)} block]</div>`;
    }
  }).join("");
}

// ---- surfaces ----------------------------------------------------------------------------
function person(id) {
  return state.people.find((p) => p.id === id);
}
function timeOf(ts) {
  const p = person(me);
  try {
    return new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: p.tz }).format(new Date(parseFloat(ts) * 1000));
  } catch (e) {
    return "";
  }
}
function renderDm() {
  const items = state.dm;
  if (!items.length) return `<div class="empty">No messages yet. Type <code>${escapeHtml(state.command)} help</code>, or join #community.</div>`;
  const myName = person(me).real_name;
  return items.map((item) => {
    if (item.kind === "ephemeral" && item.note) return `<div class="note">${slackText(item.text, true)}</div>`;
    if (item.kind === "ephemeral") {
      const surface = { kind: "ephemeral", id: item.id };
      const body = item.blocks.length ? blocksHtml(item.blocks, surface) : `<div class="block">${slackText(item.text, true)}</div>`;
      return `<div class="msg bot ephemeral-msg" data-id="${escapeHtml(item.id)}"><div class="avatar">N</div><div><div class="who">Nudge <span class="app-badge">APP</span><span class="when">${timeOf(item.ts)}</span></div>` +
        `<div class="ephemeral"><div class="only">Only visible to you</div>${body}</div></div></div>`;
    }
    if (item.kind === "file") {
      const link = `/ui/file?user=${encodeURIComponent(me)}&id=${encodeURIComponent(item.file.id)}`;
      return `<div class="msg bot file-msg"><div class="avatar">N</div><div><div class="who">Nudge <span class="app-badge">APP</span><span class="when">${timeOf(item.ts)}</span></div>` +
        `<div class="block">${slackText(item.text, true)}</div>` +
        `<a class="file" href="${escapeHtml(link)}" target="_blank" rel="noopener">📄 ${escapeHtml(item.file.title)} <span class="size">${escapeHtml(item.file.name)} · ${+item.file.size} bytes</span></a></div></div>`;
    }
    const mine = item.from === "me";
    const surface = { kind: "message", ts: item.ts };
    const body = item.blocks.length ? blocksHtml(item.blocks, surface) : `<div class="block">${slackText(item.text, true)}</div>`;
    const who = mine ? escapeHtml(myName) : `Nudge <span class="app-badge">APP</span>`;
    return `<div class="msg ${mine ? "me" : "bot"}" data-ts="${escapeHtml(item.ts)}"><div class="avatar">${mine ? escapeHtml(myName[0]) : "N"}</div>` +
      `<div><div class="who">${who}<span class="when">${timeOf(item.ts)}</span></div>${body}${item.edited ? `<div class="edited">(edited)</div>` : ""}</div></div>`;
  }).join("");
}
function renderCommunity() {
  const messageShortcuts = (state.shortcuts || []).filter((s) => s.type === "message");
  return (state.community || []).map((m) => {
    const author = person(m.user);
    const name = author ? author.real_name : m.user;
    const menu = menuFor === m.ts ? `<div class="menu"><div class="menu-head">Nudge</div>` +
      messageShortcuts.map((s) => `<button type="button" class="shortcut" data-ts="${escapeHtml(m.ts)}" data-callback="${escapeHtml(s.callback_id)}">${escapeHtml(s.name)}</button>`).join("") + "</div>" : "";
    return `<div class="msg" data-ts="${escapeHtml(m.ts)}"><div class="avatar">${escapeHtml(name[0])}</div><div><div class="who">${escapeHtml(name)}<span class="when">${timeOf(m.ts)}</span>` +
      `<button type="button" class="more" data-ts="${escapeHtml(m.ts)}" title="More actions" aria-label="More actions">⋯</button></div>` +
      `<div class="block">${slackText(m.text, true)}</div>${menu}</div></div>`;
  }).join("") || `<div class="empty">Nobody has said anything here yet.</div>`;
}
function renderShortcutMenu() {
  const globals = (state.shortcuts || []).filter((s) => s.type === "global");
  return `<div class="menu-head">Nudge</div>` + globals.map((s) => `<button type="button" class="shortcut" data-callback="${escapeHtml(s.callback_id)}">${escapeHtml(s.name)}</button>`).join("");
}
function renderHome() {
  if (!state.home) return `<div class="empty">Nudge hasn't published a Home tab for you yet — it appears in a moment.</div>`;
  return blocksHtml(state.home.blocks, { kind: "home", view_id: state.home.id });
}
function renderModal(view) {
  const surface = { kind: "modal", view_id: view.id };
  const close = view.close ? plain(view.close) : "Cancel";
  const submit = view.submit ? `<button type="submit" class="btn primary" id="modal-submit">${plain(view.submit)}</button>` : "";
  return `<div class="title">${plain(view.title)}<button type="button" class="x" data-close="1" aria-label="Close">×</button></div>` +
    `<div class="body">${blocksHtml(view.blocks, surface, view.errors)}</div>` +
    `<div class="foot"><button type="button" class="btn" data-close="1" id="modal-cancel">${close}</button>${submit}</div>`;
}
function renderPeople() {
  return state.people.map((p) => `<button type="button" data-user="${escapeHtml(p.id)}" class="${p.id === me ? "active" : ""}">${escapeHtml(p.real_name)}<span class="role">${escapeHtml(p.role)}</span></button>`).join("");
}

function render() {
  const p = person(me);
  const peopleKey = me + JSON.stringify(state.people);
  if (peopleKey !== shown.people) {
    $("#people").innerHTML = renderPeople();
    $("#whoami").innerHTML = `You are <strong>${escapeHtml(p.real_name)}</strong><br>${escapeHtml(p.title)} · ${escapeHtml(p.role)}<div class="tz">Time zone: ${escapeHtml(p.tz)}</div>`;
    shown.people = peopleKey;
  }
  const dmKey = JSON.stringify([me, state.dm, state.names]);
  if (dmKey !== shown.dm) {
    const box = $("#dm");
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    box.innerHTML = renderDm();
    if (atBottom || shown.dm === "") box.scrollTop = box.scrollHeight;
    shown.dm = dmKey;
  }
  const homeKey = JSON.stringify([me, state.home]);
  if (homeKey !== shown.home) {
    $("#home").innerHTML = renderHome();
    shown.home = homeKey;
  }
  const modalKey = state.modal ? JSON.stringify([me, state.modal.id, state.modal.hash, state.modal.errors]) : "";
  if (modalKey !== shown.modal) {
    if (state.modal) {
      $("#modal").innerHTML = renderModal(state.modal);
      $("#modal").dataset.viewId = state.modal.id;
      $("#overlay").hidden = false;
    } else {
      $("#overlay").hidden = true;
      $("#modal").innerHTML = "";
    }
    shown.modal = modalKey;
  }
  const violationsKey = JSON.stringify(state.violations);
  if (violationsKey !== shown.violations) {
    $("#violations").hidden = !state.violations.length;
    $("#violations").innerHTML = state.violations.length ? `<strong>Slack would have refused ${state.violations.length} call(s):</strong><br>` + state.violations.map(escapeHtml).join("<br>") : "";
    shown.violations = violationsKey;
  }
  const communityKey = JSON.stringify([me, state.community, menuFor]);
  if (communityKey !== shown.community) {
    $("#community").innerHTML = renderCommunity();
    $("#shortcut-menu").innerHTML = renderShortcutMenu();
    shown.community = communityKey;
  }
  $("#channel").hidden = tab !== "channel";
  $("#tab-channel").classList.toggle("active", tab === "channel");
  $("#home").hidden = tab !== "home";
  $("#messages").hidden = tab !== "messages";
  $("#tab-home").classList.toggle("active", tab === "home");
  $("#tab-messages").classList.toggle("active", tab === "messages");
}

// ---- talking to the stand-in ---------------------------------------------------------------
async function refresh() {
  const response = await fetch(`/ui/state?user=${encodeURIComponent(me)}`, { cache: "no-store" });
  if (!response.ok) return;
  state = await response.json();
  render();
}
async function act(request) {
  const response = await fetch("/ui/do", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ user: me, ...request }) });
  const answer = await response.json().catch(() => ({ ok: false, error: `HTTP ${response.status}` }));
  $("#problem").hidden = !!answer.ok;
  $("#problem").textContent = answer.ok ? "" : answer.error || "Something went wrong.";
  await refresh();
  return answer;
}
function choose(user) {
  me = user;
  localStorage.setItem("nudge-demo-user", me);
  shown.dm = shown.home = shown.modal = shown.community = "";
  act({ op: "tab", tab });
}
function collectValues(form) {
  const values = {};
  form.querySelectorAll(".block.input").forEach((block) => {
    const blockId = block.dataset.blockId;
    const field = block.querySelector("[data-action]");
    if (!field) return;
    const actionId = field.dataset.action;
    let value;
    if (field.tagName === "SELECT" && field.multiple) {
      value = [...field.selectedOptions].map((o) => o.value);
    } else if (field.classList.contains("checks")) {
      const picked = [...field.querySelectorAll("input:checked")].map((i) => i.value);
      value = field.querySelector("input[type=radio]") ? picked[0] || null : picked;
    } else {
      value = field.value;
    }
    values[blockId] = { [actionId]: value };
  });
  return values;
}

document.addEventListener("click", (event) => {
  const personButton = event.target.closest("#people button[data-user]");
  if (personButton) return choose(personButton.dataset.user);
  if (event.target.closest("#tab-home")) { tab = "home"; render(); return act({ op: "tab", tab: "home" }); }
  if (event.target.closest("#tab-messages")) { tab = "messages"; render(); return act({ op: "tab", tab: "messages" }); }
  if (event.target.closest("#join")) return act({ op: "join" });
  if (event.target.closest("#tab-channel")) { tab = "channel"; render(); return; }
  const more = event.target.closest("button.more[data-ts]");
  if (more) { menuFor = menuFor === more.dataset.ts ? "" : more.dataset.ts; render(); return; }
  const shortcut = event.target.closest("button.shortcut[data-callback]");
  if (shortcut) {
    menuFor = "";
    $("#shortcut-menu").hidden = true;
    if (shortcut.dataset.ts) return act({ op: "message_shortcut", ts: shortcut.dataset.ts, callback_id: shortcut.dataset.callback });
    return act({ op: "global_shortcut", callback_id: shortcut.dataset.callback });
  }
  if (event.target.closest("#shortcuts")) { $("#shortcut-menu").hidden = !$("#shortcut-menu").hidden; return; }
  const example = event.target.closest("code.try");
  if (example) { tab = "messages"; render(); $("#say").value = example.textContent; $("#say").focus(); return; }
  if (event.target.closest("[data-close]")) return act({ op: "close", view_id: $("#modal").dataset.viewId });
  const button = event.target.closest("button.btn[data-action]");
  if (button) {
    button.disabled = true;
    return act({ op: "click", where: JSON.parse(button.dataset.surface), block_index: +button.dataset.block, action_id: button.dataset.action });
  }
});
document.addEventListener("change", (event) => {
  const select = event.target.closest("select.sel[data-action]");
  if (select && select.value) {
    const chosen = select.value;
    if (select.classList.contains("overflow")) select.selectedIndex = 0;  // a menu, not a setting
    act({ op: "click", where: JSON.parse(select.dataset.surface), block_index: +select.dataset.block, action_id: select.dataset.action, selected: chosen });
  }
});
$("#composer").addEventListener("submit", async (event) => {
  event.preventDefault();
  const box = $("#say");
  const text = box.value;
  if (!text.trim()) return;
  box.value = "";
  const answer = await act({ op: "say", text });
  if (!answer.ok) box.value = text;
});
$("#channel-composer").addEventListener("submit", async (event) => {
  event.preventDefault();
  const box = $("#channel-say");
  const text = box.value;
  if (!text.trim()) return;
  box.value = "";
  const answer = await act({ op: "post", text });
  if (!answer.ok) box.value = text;
});
$("#modal").addEventListener("submit", (event) => {
  event.preventDefault();
  act({ op: "submit", view_id: $("#modal").dataset.viewId, values: collectValues($("#modal")) });
});

// ---- the pretend team's ATS: the webhooks it received -----------------------------------------
function webhookSummary(event) {
  const d = event.data || {};
  const bits = [];
  if (d.role_id) bits.push(`#${d.role_id} ${d.role_title || ""}${d.company ? " at " + d.company : ""}`);
  if (d.answer) bits.push(`answer: ${d.answer}`);
  if (d.stage) bits.push(`stage: ${d.stage}`);
  if (d.profile) bits.push(`profile: ${[d.profile.name, d.profile.title].filter(Boolean).join(", ")}${(d.profile.interests || []).length ? " · " + d.profile.interests.join(", ") : ""}`);
  if (d.candidate) bits.push((person(d.candidate) || {}).name || d.candidate);
  return bits.join(" · ");
}
async function refreshWebhooks() {
  const response = await fetch("/ui/webhooks", { cache: "no-store" });
  if (!response.ok) return;
  const events = (await response.json()).events;
  if (!events.length) return;
  $("#ats-events").innerHTML = events.map((e) =>
    `<li><code>${escapeHtml(e.type)}</code> <span class="when">${escapeHtml((e.timestamp || "").replace("T", " ").replace("Z", " UTC"))}</span><br>${escapeHtml(webhookSummary(e))}</li>`
  ).join("");
}

(async function start() {
  const response = await fetch(`/ui/state?user=${encodeURIComponent(me || "URITA")}`);
  const first = response.ok ? await response.json() : await (await fetch("/ui/state?user=URITA")).json();
  if (!me || !first.people.some((p) => p.id === me)) me = first.people[0].id;
  state = first;
  choose(me);
  setInterval(() => refresh().catch(() => {}), 1000);
  setInterval(() => refreshWebhooks().catch(() => {}), 2000);
})();
