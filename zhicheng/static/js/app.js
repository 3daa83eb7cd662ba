// Small behaviours without inline handlers (the CSP forbids inline scripts).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit")) {
    el.form.submit();
  }
});

// Employer picker: a click on a search result fills the hidden employer field.
document.addEventListener("click", (event) => {
  const choice = event.target.closest("[data-employer-id]");
  if (!choice) return;
  event.preventDefault();
  const picker = choice.closest("#employer-picker");
  picker.querySelector("input[name=employer]").value = choice.dataset.employerId;
  picker.querySelector("#employer-selected").textContent = choice.dataset.employerName;
  picker.querySelector("#employer-results").innerHTML = "";
});

// Buttons marked data-once submit their form once: a double click sends one request
// (the server is idempotent anyway; this spares the applicant a second wait).
document.addEventListener("submit", (event) => {
  const button = event.target.querySelector("button[data-once]");
  if (!button) return;
  if (button.dataset.sent) {
    event.preventDefault();
    return;
  }
  button.dataset.sent = "1";
  button.textContent = "正在提交…";
});
