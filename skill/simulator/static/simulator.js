// The browser simulator: posts what was typed to /simulator/say with the state the server
// returned last time (the server keeps none), and shows each turn with its JSON folded beside it:
// the request, the response, and on a device with a screen the APL document and its datasources.
// It does not draw the APL: that is the device's work (or the developer console's).
"use strict";

(() => {
  const form = document.getElementById("say");
  const input = document.getElementById("utterance");
  const locale = document.getElementById("locale");
  const device = document.getElementById("device");
  const send = document.getElementById("send");
  const silence = document.getElementById("silence");
  const reset = document.getElementById("reset");
  const autospeak = document.getElementById("autospeak");
  const conversation = document.getElementById("conversation");
  const empty = document.getElementById("empty");
  const status = document.getElementById("status");
  const canSpeak = "speechSynthesis" in window && "SpeechSynthesisUtterance" in window;

  // Opaque to the page: whatever the server sent back, returned as it was.
  let state = null;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    // textContent, never innerHTML: replies and JSON are shown, not interpreted.
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function speak(text) {
    if (!canSpeak || !text) return;
    window.speechSynthesis.cancel();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = locale.value;
    window.speechSynthesis.speak(utterance);
  }

  function jsonPanel(title, value) {
    const details = element("details");
    details.append(element("summary", null, title));
    details.append(element("pre", null, JSON.stringify(value, null, 2)));
    return details;
  }

  function touchButtons() {
    const row = element("p", "touch");
    row.append(element("span", "who", "Touch the screen"));
    for (const [button, label] of [["back", "Back"], ["next", "Next"], ["stop", "Stop"]]) {
      const press = element("button", "secondary", label);
      press.type = "button";
      press.title = "Press " + label + " on the screen (an Alexa.Presentation.APL.UserEvent)";
      press.addEventListener("click", () => takeTurn("", button));
      row.append(press, " ");
    }
    return row;
  }

  // The RenderDocument directives of a response: what a device with a screen would show.
  function screenDirectives(response) {
    const directives = response && response.response && response.response.directives;
    if (!Array.isArray(directives)) return [];
    return directives.filter((d) => d && d.type === "Alexa.Presentation.APL.RenderDocument");
  }

  function renderTurn(turn) {
    const item = element("li", "turn");
    const talk = element("div", "talk");

    const said = element("p", "said");
    said.append(element("span", "who", "You"),
      document.createTextNode(turn.said.trim() ? turn.said : "(silence)"));
    talk.append(said, element("p", "heard", "Alexa heard: " + turn.heard));

    const reply = element("div", "reply");
    reply.append(element("span", "who", "Cramp Relief"));
    reply.append(element("p", "speech", turn.speech || "(says nothing)"));
    if (turn.reprompt) reply.append(element("p", "reprompt", "Reprompt: " + turn.reprompt));
    talk.append(reply);

    const meta = element("p", "meta");
    const session = element("span", turn.sessionOpen ? "open" : "closed",
      turn.sessionOpen ? "Session open" : "Session closed");
    meta.append(session);
    if (turn.speech) {
      const button = element("button", "speak", "Speak reply");
      button.type = "button";
      button.disabled = !canSpeak;
      button.title = canSpeak ? "Read the reply with the browser's voice"
        : "This browser has no speech synthesis";
      button.addEventListener("click", () => speak(turn.speech));
      meta.append(" ", button);
    }
    talk.append(meta);

    if (turn.note) talk.append(element("p", "note-line", turn.note));
    if (turn.error) talk.append(element("p", "error", "Problem: " + turn.error));

    const json = element("div", "json");
    const kind = turn.requestType || "No request";
    if (turn.request) json.append(jsonPanel(kind + " (request JSON)", turn.request));
    if (turn.response) {
      json.append(jsonPanel("Response JSON (HTTP " + turn.status + ")", turn.response));
    } else if (turn.request) {
      json.append(element("p", "meta", "No usable response (HTTP " + turn.status + ")."));
    }
    for (const directive of screenDirectives(turn.response)) {
      json.append(jsonPanel("APL document (token " + directive.token + ")", directive.document));
      json.append(jsonPanel("APL datasources", directive.datasources || {}));
      // The step screen's buttons, pressed as on the device: each sends its UserEvent.
      if (directive.datasources && directive.datasources.step) json.append(touchButtons());
    }
    if (!turn.request) json.append(element("p", "meta", "Nothing was sent to the skill."));
    item.append(talk, json);
    return item;
  }

  // The reminders panel: one line per reminder in the Alexa API stand-in.
  function showReminders(lines) {
    const list = document.getElementById("reminders");
    const items = lines.length ? lines : ["No reminders."];
    list.replaceChildren(...items.map((line) => element("li", "reminder", line)));
  }

  async function say(text, touch) {
    const sent = { text, locale: locale.value, device: device.value, state };
    if (touch) sent.touch = touch;
    const response = await fetch(form.dataset.endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(sent),
    });
    const body = await response.json().catch(() => ({ error: "unreadable answer" }));
    if (!response.ok) throw new Error(body.error || "HTTP " + response.status);
    return body;
  }

  async function takeTurn(text, touch) {
    send.disabled = true;
    silence.disabled = true;
    status.textContent = "";
    try {
      const body = await say(text, touch);
      state = body.state;
      empty.hidden = true;
      const item = renderTurn(body.turn);
      conversation.append(item);
      item.scrollIntoView({ block: "end" });
      if (text) input.value = "";
      showReminders(body.reminders || []);
      if (autospeak.checked) speak(body.turn.speech);
    } catch (error) {
      status.textContent = "Could not send: " + error.message;
    } finally {
      send.disabled = false;
      silence.disabled = false;
      input.focus();
    }
  }

  // Enter in the text box submits the form, like the Send button.
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (text) takeTurn(text);
  });

  // Saying nothing is a turn too: Alexa reprompts, then the session times out.
  silence.addEventListener("click", () => takeTurn(""));

  reset.addEventListener("click", () => {
    state = null;
    conversation.replaceChildren();
    showReminders([]);
    empty.hidden = false;
    status.textContent = "";
    if (canSpeak) window.speechSynthesis.cancel();
    input.focus();
  });

  // A new locale is a new device: carrying one locale's session into another would mislead.
  locale.addEventListener("change", () => reset.click());
  // So is another device: a speaker's session does not carry over to an Echo Show.
  device.addEventListener("change", () => reset.click());

  if (!canSpeak) autospeak.disabled = true;
  input.focus();
})();
