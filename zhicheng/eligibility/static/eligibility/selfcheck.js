// Self-check page: changing the policy or level re-renders the form for it (the
// "按所选政策与级别更新表单" button does the same without JavaScript).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (!(el instanceof HTMLSelectElement) || !el.hasAttribute("data-switch-on-change")) return;
  const button = el.form && el.form.querySelector("button[data-switch]");
  if (button) el.form.requestSubmit(button);
});
