// Drives a served skill through virtual-alexa (npm), a third-party sample matcher, and reports the
// request it sent for each phrase. Run by bench/heldout.py, which installs the package outside the
// repository and points NODE_PATH at it.
//
// stdin: {"url": "http://127.0.0.1:PORT/alexa", "model": "path/to/en-US.json",
//         "locale": "en-US", "items": [{"text": "...", "context": null | "in_session" | "in_routine",
//                                        "said": ["request words" | null, ...] (optional)}]}
// Without "said", the text goes to virtual-alexa's utter(), whose launch check is a regex with no
// anchor: any phrase holding "ask", "tell", "open" or "launch" (also inside "basket" or "telling")
// becomes a LaunchRequest, or the words after its last " to ". With "said" (what Alexa's front end
// hands the model, in the order she tries it: null for a launch), each is matched by
// virtual-alexa's own sample matcher (virtual-core's Utterance), and the match virtual-core scores
// best is sent with intend(), exactly as utter() sends a match.
// stdout: one JSON array, per item {"request": "IntentRequest", "intent": "...", "slots": {...}}
//         or {"request": null, "intent": null, "error": "..."} when virtual-alexa matched nothing.
"use strict";

const va = require("virtual-alexa");
const core = require("virtual-core");

// Of Alexa's readings, the one virtual-alexa matches best (a launch ends the search, as it does
// for the resolver); ties go to the first.
async function sayToModel(alexa, said) {
  let best = null;
  for (const words of said) {
    if (words === null) {
      if (best === null) {
        return alexa.launch();
      }
      break;
    }
    const utterance = new core.Utterance(alexa.context().interactionModel(), words);
    if (utterance.matched()) {
      // virtual-core's own score of the match (characters matched by the sample's literals).
      const score = utterance.matchedSample.matchesUtterance(words).score();
      const found = { utterance: utterance, score: score };
      if (best === null || found.score > best.score) {
        best = found;
      }
    }
  }
  if (best === null) {
    throw new Error("Unable to match utterance: " + said.join(" | "));
  }
  return alexa.intend(best.utterance.intent(), best.utterance.toJSON());
}

function slotsOf(request) {
  const slots = {};
  const raw = (request.request.intent && request.request.intent.slots) || {};
  for (const [name, slot] of Object.entries(raw)) {
    let id = null;
    const authorities = (slot.resolutions && slot.resolutions.resolutionsPerAuthority) || [];
    for (const authority of authorities) {
      if (authority.status && authority.status.code === "ER_SUCCESS_MATCH" && authority.values) {
        id = authority.values[0].value.id;
        break;
      }
    }
    slots[name] = id !== null ? id : slot.value === undefined ? null : slot.value;
  }
  return slots;
}

async function one(job, item) {
  const alexa = va.VirtualAlexa.Builder()
    .interactionModelFile(job.model)
    .skillURL(job.url)
    .locale(job.locale)
    .create();
  let last = null;
  alexa.filter((request) => {
    last = request;
  });
  // The context only puts the skill where the phrase is said; virtual-alexa matches a phrase the
  // same way in or out of a session.
  if (item.context === "in_session" || item.context === "in_routine") {
    await alexa.launch();
  }
  if (item.context === "in_routine") {
    await alexa.intend("GuidedStretchIntent");
  }
  last = null;
  try {
    if (Array.isArray(item.said)) {
      await sayToModel(alexa, item.said);
    } else {
      await alexa.utter(item.text);
    }
  } catch (error) {
    if (last === null) {
      return { request: null, intent: null, slots: {}, error: String(error.message || error) };
    }
  }
  if (last === null) {
    return { request: null, intent: null, slots: {}, error: "no request was sent" };
  }
  const type = last.request.type;
  const intent = type === "IntentRequest" ? last.request.intent.name : null;
  return { request: type, intent: intent, slots: type === "IntentRequest" ? slotsOf(last) : {} };
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  const job = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const results = [];
  for (const item of job.items) {
    results.push(await one(job, item));
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((error) => {
  process.stderr.write(String((error && error.stack) || error) + "\n");
  process.exit(1);
});
