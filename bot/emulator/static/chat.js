// The chat page of `coach-bot try`: draws one private chat with the coach and acts as its user.
// Everything the bot wrote is drawn from plain text plus Telegram's entities with textContent,
// never as HTML: only what Telegram's HTML allows (bold, links, code...) becomes markup.
"use strict";

const CITIES = [
  ["London", 51.5072, -0.1276], ["New York", 40.7128, -74.006], ["Berlin", 52.52, 13.405],
  ["Madrid", 40.4168, -3.7038], ["Moscow", 55.7558, 37.6173], ["Mumbai", 19.076, 72.8777],
  ["Tokyo", 35.6762, 139.6503], ["Sydney", -33.8688, 151.2093], ["São Paulo", -23.5558, -46.6396],
  ["Los Angeles", 34.0522, -118.2437], ["Cape Town", -33.9249, 18.4241], ["Auckland", -36.8485, 174.7633],
];
const SAFE_LINK = /^(https?:)\/\//i;
const COMMAND = /(^|[\s(])(\/[a-z0-9_]{1,32})(?=$|[\s.,!?:;)])/gi;

const $ = (id) => document.getElementById(id);
const state = { me: null, messages: new Map(), commands: [], keyboard: null, clock: null, editing: null };
let socket = null;

// -- talking to the emulator ------------------------------------------------------------------

async function api(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error || `the emulator answered ${response.status}`);
  return answer;
}

async function hello(name, language) {
  const chat = await api("/api/hello", { name, language });
  sessionStorage.setItem("coach-name", name);
  sessionStorage.setItem("coach-language", language);
  state.me = chat.me;
  state.commands = chat.commands;
  state.keyboard = chat.keyboard;
  setClock(chat.clock);
  state.messages.clear();
  $("messages").replaceChildren();
  $("who").textContent = `${chat.me.name} (${chat.me.language})`;
  $("bot-name").textContent = chat.bot.first_name;
  document.title = `${chat.me.name} · ${chat.bot.first_name}`;
  for (const message of chat.messages) showMessage(message);
  drawWelcome();
  drawKeyboard();
  drawMenu();
  drawClock(chat.clock_steps);
  scrollDown();
  listen();
}

function listen() {
  if (socket) socket.close();
  const mine = new WebSocket(`ws://${location.host}/api/events?user=${state.me.id}`);
  socket = mine;
  mine.onmessage = (event) => onEvent(JSON.parse(event.data));
  mine.onclose = () => {
    if (socket === mine) {
      setTimeout(() => hello(state.me.name, state.me.language).catch(showError), 1000);
    }
  };
}

function onEvent(event) {
  if (event.type === "message") {
    const atBottom = isAtBottom();
    showMessage(event.message);
    if (atBottom || event.message.from === "me") scrollDown();
  } else if (event.type === "deleted") {
    state.messages.delete(event.message_id);
    document.getElementById(`m${event.message_id}`)?.remove();
  } else if (event.type === "answer") {
    if (event.text) toast(event.text, event.show_alert ? 6000 : 2500);
  } else if (event.type === "keyboard") {
    state.keyboard = event.keyboard;
    drawKeyboard();
  } else if (event.type === "commands") {
    state.commands = event.commands;
    drawMenu();
  } else if (event.type === "action") {
    typing();
  } else if (event.type === "clock") {
    setClock(event.clock);
  }
}

// -- messages ---------------------------------------------------------------------------------

// A chat with no messages yet offers Telegram's Start button.
function drawWelcome() {
  const list = $("messages");
  const empty = state.messages.size === 0;
  let welcome = $("welcome");
  if (!empty) { welcome?.remove(); return; }
  if (welcome) return;
  welcome = el("div", "welcome");
  welcome.id = "welcome";
  welcome.append(el("p", "", "This is the toning coach, running on your computer. Nothing leaves it."));
  const start = el("button", "", "Start");
  start.type = "button";
  start.addEventListener("click", () => send("/start"));
  welcome.append(start);
  list.append(welcome);
}

function showMessage(message) {
  const old = document.getElementById(`m${message.id}`);
  if (message.deleted) { old?.remove(); return; }
  state.messages.set(message.id, message);
  const row = drawMessage(message);
  if (old) { old.replaceWith(row); return; }
  const list = $("messages");
  const later = [...list.children].find((el) => Number(el.dataset.id) > message.id);
  list.insertBefore(row, later || null);
  drawWelcome();
}

function drawMessage(message) {
  const row = el("div", `row ${message.from}`);
  row.id = `m${message.id}`;
  row.dataset.id = message.id;
  const bubble = el("div", "bubble");
  if (message.kind === "photo" && message.file) {
    const img = el("img", "photo");
    img.src = message.file.url;
    img.alt = "A picture from the coach";
    bubble.append(img);
  } else if (message.kind === "document" && message.file) {
    const link = el("a", "file");
    link.href = message.file.url;
    link.download = message.file.name;
    const icon = el("span", "icon", "📄");
    const name = el("span", "file-name", message.file.name);
    name.append(el("span", "file-size", `${(message.file.size / 1024).toFixed(1)} KB · download`));
    link.append(icon, name);
    bubble.append(link);
  } else if (message.kind === "location") {
    const { latitude, longitude } = message.location;
    bubble.append(el("span", "", `📍 Location ${latitude.toFixed(4)}, ${longitude.toFixed(4)}`));
  } else if (message.kind === "other") {
    bubble.append(el("i", "", "(a message this page cannot show)"));
  }
  if (message.text) {
    const text = el("span", "text");
    if (message.from === "bot") text.append(formatted(message.text, message.entities));
    else text.textContent = message.text;
    bubble.append(text);
  }
  const meta = el("span", "meta", `${message.edited ? "edited " : ""}${clockTime(message.date)}`);
  bubble.append(meta);
  row.append(bubble);
  if (message.buttons.length) row.append(inlineKeyboard(message));
  if (message.from === "me" && message.kind === "text") {
    row.classList.add("editable");
    bubble.title = "Click to edit this message";
    bubble.addEventListener("click", () => startEditing(message));
  }
  return row;
}

function inlineKeyboard(message) {
  const keyboard = el("div", "inline-keyboard");
  message.buttons.forEach((buttons, rowIndex) => {
    const line = el("div", "kb-row");
    buttons.forEach((button, column) => {
      let item;
      if (button.kind === "url" && SAFE_LINK.test(button.url)) {
        item = el("a", "", `${button.text} ↗`);
        item.href = button.url;
        item.target = "_blank";
        item.rel = "noopener noreferrer";
      } else {
        item = el("button", "", button.text);
        item.type = "button";
        item.disabled = button.kind !== "callback";
        item.addEventListener("click", () =>
          api("/api/press", { user: state.me.id, message_id: message.id, row: rowIndex, column })
            .catch(showError));
      }
      line.append(item);
    });
    keyboard.append(line);
  });
  return keyboard;
}

// Text plus entities (offsets in UTF-16 code units, as JavaScript strings count) to DOM nodes.
function formatted(text, entities) {
  const sorted = [...entities].sort((a, b) => a.offset - b.offset || b.length - a.length);
  const root = document.createDocumentFragment();
  build(root, text, sorted, 0, text.length, false);
  return root;
}

function build(parent, text, entities, start, end, literal) {
  let pos = start;
  let i = 0;
  while (i < entities.length) {
    const entity = entities[i];
    const stop = entity.offset + entity.length;
    let j = i + 1;
    while (j < entities.length && entities[j].offset < stop) j++;
    plain(parent, text.slice(pos, entity.offset), literal);
    const node = entityNode(entity);
    const inner = node.querySelector("code") || node;
    const isLiteral = literal || ["code", "pre", "text_link"].includes(entity.type);
    build(inner, text, entities.slice(i + 1, j), entity.offset, stop, isLiteral);
    parent.append(node);
    pos = stop;
    i = j;
  }
  plain(parent, text.slice(pos, end), literal);
}

function entityNode(entity) {
  switch (entity.type) {
    case "bold": return el("strong");
    case "italic": return el("em");
    case "underline": return el("u");
    case "strikethrough": return el("s");
    case "code": return el("code");
    case "pre": { const pre = el("pre"); pre.append(el("code")); return pre; }
    case "blockquote": case "expandable_blockquote": return el("blockquote");
    case "spoiler": {
      const spoiler = el("span", "spoiler");
      spoiler.title = "Click to reveal";
      spoiler.addEventListener("click", () => spoiler.classList.add("shown"));
      return spoiler;
    }
    case "text_link": {
      if (!SAFE_LINK.test(entity.url || "")) return el("span");
      const link = el("a");
      link.href = entity.url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      return link;
    }
    default: return el("span");
  }
}

// Plain text, with /commands clickable as Telegram shows them.
function plain(parent, text, literal) {
  if (!text) return;
  if (literal) { parent.append(text); return; }
  let last = 0;
  for (const match of text.matchAll(COMMAND)) {
    const at = match.index + match[1].length;
    parent.append(text.slice(last, at));
    const command = el("span", "command", match[2]);
    command.addEventListener("click", () => send(match[2]));
    parent.append(command);
    last = at + match[2].length;
  }
  parent.append(text.slice(last));
}

// -- what the user does -----------------------------------------------------------------------

async function send(text) {
  await api("/api/send", { user: state.me.id, text }).catch(showError);
}

async function submit(event) {
  event.preventDefault();
  const input = $("input");
  const text = input.value;
  if (!text.trim()) return;
  input.value = "";
  autosize();
  if (state.editing) {
    const id = state.editing.id;
    stopEditing();
    await api("/api/edit", { user: state.me.id, message_id: id, text }).catch(showError);
  } else {
    await send(text);
  }
}

function startEditing(message) {
  state.editing = message;
  $("editing").hidden = false;
  $("editing-text").textContent = message.text;
  $("input").value = message.text;
  $("input").focus();
  autosize();
}

function stopEditing() {
  state.editing = null;
  $("editing").hidden = true;
}

function drawKeyboard() {
  const board = $("reply-keyboard");
  board.replaceChildren();
  const markup = state.keyboard;
  $("keyboard-toggle").hidden = !markup;
  board.hidden = !markup;
  $("input").placeholder = markup?.input_field_placeholder || "Message";
  if (!markup) return;
  for (const buttons of markup.keyboard) {
    const line = el("div", "kb-row");
    for (const button of buttons) {
      const label = typeof button === "string" ? button : button.text;
      const key = el("button", "", label);
      key.type = "button";
      key.addEventListener("click", () => {
        if (markup.one_time_keyboard) board.hidden = true;
        if (button.request_location) $("location-dialog").showModal();
        else send(label);
      });
      line.append(key);
    }
    board.append(line);
  }
}

function drawMenu() {
  const menu = $("menu");
  menu.replaceChildren();
  $("menu-button").hidden = state.commands.length === 0;
  for (const { command, description } of state.commands) {
    const item = el("button");
    item.type = "button";
    item.append(el("span", "cmd", `/${command}`), el("span", "desc", description));
    item.addEventListener("click", () => { menu.hidden = true; send(`/${command}`); });
    menu.append(item);
  }
}

function shareLocation(latitude, longitude) {
  $("location-dialog").close();
  api("/api/location", { user: state.me.id, latitude, longitude }).catch(showError);
}

// -- the demo clock ---------------------------------------------------------------------------

function drawClock(steps) {
  const panel = $("demo-clock");
  panel.hidden = !state.clock;
  if (!state.clock) return;
  const buttons = $("clock-buttons");
  buttons.replaceChildren();
  for (const minutes of steps) {
    const label = minutes >= 1440 ? `+${minutes / 1440} day` : minutes >= 60 ? `+${minutes / 60} hour` : `+${minutes} min`;
    const button = el("button", "", label);
    button.type = "button";
    button.title = `Move the coach's time ${label.slice(1)} forward`;
    button.addEventListener("click", () =>
      api("/api/clock", { minutes }).then((answer) => setClock(answer.clock))
        .catch(showError));
    buttons.append(button);
  }
  const next = el("button", "", "⏰ Next reminder");
  next.type = "button";
  next.title = "Move the coach's time to just after your next training-day reminder";
  next.addEventListener("click", () =>
    api("/api/clock", { user: state.me.id, to: "next_reminder" })
      .then((answer) => setClock(answer.clock))
      .catch(showError));
  buttons.append(next);
  tickClock();
}

// The coach's time as last told by the emulator, run on by this browser's clock since.
function coachNow() {
  return new Date(state.clock.now * 1000 + (performance.now() - state.clock.received));
}

function setClock(clock) {
  state.clock = clock && { ...clock, received: performance.now() };
  tickClock();
}

function tickClock() {
  if (!state.clock) return;
  const when = coachNow();
  $("clock-now").textContent = when.toLocaleString(undefined, {
    weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
  });
  $("clock-now").dateTime = when.toISOString();
  const ahead = state.clock.ahead_seconds;
  const days = Math.floor(ahead / 86400);
  const hours = Math.floor((ahead % 86400) / 3600);
  const minutes = Math.floor((ahead % 3600) / 60);
  const parts = [days && `${days} d`, hours && `${hours} h`, minutes && `${minutes} min`].filter(Boolean);
  $("clock-ahead").textContent = parts.length ? `(${parts.join(" ")} ahead of real time)` : "(real time)";
}

// -- small things -----------------------------------------------------------------------------

function el(tag, className = "", text = "") {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

function clockTime(seconds) {
  return new Date(seconds * 1000).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

let typingTimer = null;
function typing() {
  const status = $("status");
  status.textContent = "typing…";
  status.classList.add("typing");
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => { status.textContent = "bot"; status.classList.remove("typing"); }, 4000);
}

let toastTimer = null;
function toast(text, millis) {
  const box = $("toast");
  box.textContent = text;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, millis);
}

function showError(error) { toast(`⚠ ${error.message}`, 4000); }

function isAtBottom() {
  const list = $("messages");
  return list.scrollHeight - list.scrollTop - list.clientHeight < 80;
}

function scrollDown() {
  const list = $("messages");
  requestAnimationFrame(() => { list.scrollTop = list.scrollHeight; });
}

function autosize() {
  const input = $("input");
  input.style.height = "auto";
  input.style.height = `${Math.min(input.scrollHeight, 140)}px`;
}

// The browser's own language where the page offers it, as Telegram would pass it on.
function preferredLanguage() {
  const offered = [...$("language-input").options].map((option) => option.value);
  const wanted = (navigator.language || "en").toLowerCase();
  return offered.find((tag) => tag === wanted) || offered.find((tag) => tag === wanted.split("-")[0]) || "en";
}

function askName() {
  const dialog = $("name-dialog");
  $("name-input").value = state.me?.name || sessionStorage.getItem("coach-name") || "Ann";
  $("language-input").value = state.me?.language || preferredLanguage();
  dialog.showModal();
}

// -- start ------------------------------------------------------------------------------------

function start() {
  $("composer").addEventListener("submit", submit);
  $("input").addEventListener("input", autosize);
  $("input").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); $("composer").requestSubmit(); }
    if (event.key === "Escape" && state.editing) { stopEditing(); $("input").value = ""; }
  });
  $("editing-cancel").addEventListener("click", () => { stopEditing(); $("input").value = ""; });
  $("menu-button").addEventListener("click", () => { $("menu").hidden = !$("menu").hidden; });
  $("keyboard-toggle").addEventListener("click", () => { $("reply-keyboard").hidden = !$("reply-keyboard").hidden; });
  $("who").addEventListener("click", askName);
  $("name-form").addEventListener("submit", () => {
    const name = $("name-input").value.trim();
    if (name) hello(name, $("language-input").value).catch(showError);
  });
  for (const [city, latitude, longitude] of CITIES) {
    const button = el("button", "", city);
    button.type = "button";
    button.addEventListener("click", () => shareLocation(latitude, longitude));
    $("cities").append(button);
  }
  $("geolocation").addEventListener("click", () => {
    if (!navigator.geolocation) { showError(new Error("this browser cannot tell where it is")); return; }
    navigator.geolocation.getCurrentPosition(
      (where) => shareLocation(where.coords.latitude, where.coords.longitude),
      (problem) => showError(new Error(`no location: ${problem.message}`)),
    );
  });
  setInterval(tickClock, 15000);
  const asked = new URLSearchParams(location.search);
  const name = asked.get("name") || sessionStorage.getItem("coach-name");
  const language = asked.get("language") || sessionStorage.getItem("coach-language") || preferredLanguage();
  if (name) hello(name, language).catch(showError);
  else askName();
}

start();
