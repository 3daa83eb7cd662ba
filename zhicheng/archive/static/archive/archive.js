// The archive: upload progress and bulk selection. No inline scripts (the CSP forbids them).
(() => {
  "use strict";

  // --- Upload progress -------------------------------------------------------------------
  // A form marked data-upload-progress that carries files is sent with XMLHttpRequest so
  // its progress can be shown. The server answers {"redirect": url} on success, or the page
  // again (with the errors beside the fields), whose <main> replaces ours.
  const tooLarge = (form) => {
    for (const input of form.querySelectorAll("input[type=file][data-max-bytes]")) {
      const limit = Number(input.dataset.maxBytes);
      for (const file of input.files) {
        if (file.size > limit) {
          return `“${file.name}”超过 ${Math.floor(limit / 1048576)} MB，请压缩或拆分后上传。`;
        }
      }
    }
    return "";
  };

  const hasFiles = (form) =>
    Array.from(form.querySelectorAll("input[type=file]")).some((input) => input.files.length > 0);

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-upload-progress")) return;
    if (!hasFiles(form) || typeof XMLHttpRequest === "undefined") return;
    event.preventDefault();
    const errorBox = form.querySelector("[data-upload-error]");
    const problem = tooLarge(form);
    if (problem) {
      if (errorBox) errorBox.textContent = problem;
      return;
    }
    if (errorBox) errorBox.textContent = "";
    const progress = form.querySelector("[data-progress]");
    const bar = form.querySelector("[data-progress-bar]");
    const buttons = form.querySelectorAll("button[type=submit]");
    buttons.forEach((b) => { b.disabled = true; });
    if (progress) progress.classList.remove("d-none");

    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.upload.addEventListener("progress", (e) => {
      if (!e.lengthComputable || !bar) return;
      const percent = Math.round((e.loaded / e.total) * 100);
      bar.style.width = `${percent}%`;
      bar.textContent = percent < 100 ? `${percent}%` : "正在检查文件…";
      if (progress) progress.setAttribute("aria-valuenow", String(percent));
    });
    xhr.addEventListener("load", () => {
      const type = xhr.getResponseHeader("Content-Type") || "";
      if (type.includes("application/json")) {
        const data = JSON.parse(xhr.responseText);
        window.location.assign(data.redirect);
        return;
      }
      const doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
      const main = doc.querySelector("main");
      if (main) {
        document.querySelector("main").replaceWith(main);
        window.scrollTo(0, 0);
      } else {
        window.location.reload();
      }
    });
    xhr.addEventListener("error", () => {
      buttons.forEach((b) => { b.disabled = false; });
      if (progress) progress.classList.add("d-none");
      if (errorBox) errorBox.textContent = "上传失败，请检查网络后重试。";
    });
    xhr.send(new FormData(form));
  });

  // --- Bulk selection in the review queue ------------------------------------------------
  const updateCount = (form) => {
    const counter = form.querySelector("[data-selected-count]");
    if (counter) counter.textContent = String(form.querySelectorAll("input[name=records]:checked").length);
  };

  document.addEventListener("change", (event) => {
    const el = event.target;
    if (!(el instanceof HTMLInputElement)) return;
    const form = el.closest("form[data-bulk-form]");
    if (!form) return;
    if (el.hasAttribute("data-select-all")) {
      form.querySelectorAll("input[name=records]").forEach((box) => { box.checked = el.checked; });
    }
    updateCount(form);
  });
})();
