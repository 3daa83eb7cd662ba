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
