import { signMessage } from "../../../shared/crypto/sign.ts";
import { NAME_MAX_LENGTH, cleanName, rejoinMessage } from "../../../shared/protocol/messages.ts";
import { cleanCode, lookupSession } from "../net/api.ts";
import { Connection, joinErrorText } from "../net/connection.ts";
import { lastNickname, playerKey, saveNickname } from "../net/storage.ts";
import { h, replaceChildren } from "../ui/dom.ts";
import { field } from "../views/view.ts";
import { startPlay } from "./play.ts";

const CODE_PATTERN = /^[0-9A-Z]{6}$/;

/** The join form: code + nickname. The server's own reason is shown when it refuses. */
export function showJoin(main: HTMLElement, presetCode: string, notice?: string): void {
  document.title = "Join · L2 Arena";
  const code = h("input", { name: "code", value: presetCode, required: true, autocomplete: "off", autocapitalize: "characters", spellcheck: "false", maxlength: "8", inputmode: "text", class: "code-input" });
  const name = h("input", { name: "nickname", required: true, autocomplete: "nickname", maxlength: String(NAME_MAX_LENGTH), value: (presetCode && lastNickname(cleanCode(presetCode))) || "" });
  const error = h("p", { class: "form-error", id: "join-error", role: "alert" });
  const submit = h("button", { type: "submit", class: "big" }, "Join");
  code.setAttribute("aria-describedby", "join-error");
  name.setAttribute("aria-describedby", "join-error");
  const fail = (message: string, focus: HTMLInputElement) => {
    error.textContent = message;
    submit.disabled = false;
    submit.textContent = "Join";
    focus.setAttribute("aria-invalid", "true");
    focus.focus();
  };
  const form = h(
    "form",
    { class: "join-form", novalidate: true, onsubmit: async (e: Event) => {
      e.preventDefault();
      error.textContent = "";
      code.removeAttribute("aria-invalid");
      name.removeAttribute("aria-invalid");
      const cleanedCode = cleanCode(code.value);
      if (!CODE_PATTERN.test(cleanedCode)) return fail("A game code has 6 letters and digits, like 7KQ4MX.", code);
      const cleanedName = cleanName(name.value);
      if ("reason" in cleanedName) return fail(cleanedName.reason, name);
      submit.disabled = true;
      submit.textContent = "Joining…";
      const found = await lookupSession(cleanedCode);
      if (!found.ok) return fail(found.message, code);
      try {
        // The key this browser keeps for the game: with it, a seat left behind (a closed tab, a dead battery) is taken back, score and money included.
        const key = playerKey(cleanedCode);
        const proof = signMessage(key.secretKey, rejoinMessage(cleanedCode, cleanedName.name));
        const conn = await Connection.join(cleanedCode, { name: cleanedName.name, publicKey: key.publicKey, proof });
        saveNickname(cleanedCode, cleanedName.name);
        history.replaceState(null, "", `/play?code=${cleanedCode}`);
        startPlay(main, conn);
      } catch (err) {
        const message = joinErrorText(err);
        fail(message, /nickname/i.test(message) ? name : code);
      }
    } },
    field("Game code", code),
    field("Your nickname", name, `Up to ${NAME_MAX_LENGTH} characters. Others will see it on the leaderboard.`),
    error,
    submit,
  );
  replaceChildren(main, h("div", { class: "narrow" },
    h("p", {}, h("a", { href: "/" }, "← L2 Arena")),
    h("h1", {}, "Join a game"),
    notice ? h("p", { class: "notice-box" }, notice) : null,
    form));
  (presetCode ? name : code).focus();
}
