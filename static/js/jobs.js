// 后台任务: refresh the progress, state and outcome of the jobs still queued or running,
// every two seconds, from the admin's status endpoint (JSON). Stops once none is pending.
(function () {
  "use strict";
  var root = document.getElementById("job-status");
  if (!root) {
    return;
  }
  var url = root.getAttribute("data-url");
  var PENDING = ["queued", "running"];

  function cells(kind, id) {
    return document.querySelectorAll("." + kind + '[data-job="' + id + '"]');
  }

  function each(kind, id, fn) {
    Array.prototype.forEach.call(cells(kind, id), fn);
  }

  function pendingIds() {
    var ids = [];
    Array.prototype.forEach.call(document.querySelectorAll(".job-state"), function (el) {
      if (PENDING.indexOf(el.getAttribute("data-state")) !== -1) {
        ids.push(el.getAttribute("data-job"));
      }
    });
    return ids;
  }

  function link(href, text, className) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    if (className) {
      a.className = className;
    }
    return a;
  }

  function update(job) {
    each("job-state", job.id, function (el) {
      el.setAttribute("data-state", job.state);
      el.textContent = job.state_label;
    });
    each("job-progress", job.id, function (el) {
      el.value = job.percent;
    });
    each("job-percent", job.id, function (el) {
      el.textContent = job.percent + "%";
    });
    each("job-message", job.id, function (el) {
      el.textContent = job.message;
    });
    each("job-outcome", job.id, function (el) {
      el.textContent = "";
      if (job.download_url) {
        el.appendChild(link(job.download_url, "下载"));
      } else if (job.state === "failed") {
        var error = document.createElement("span");
        error.className = "job-error";
        error.textContent = job.error;
        el.appendChild(error);
        if (job.retry_url) {
          el.appendChild(document.createTextNode(" "));
          el.appendChild(link(job.retry_url, "重试", "button"));
        }
      }
    });
  }

  function poll() {
    var ids = pendingIds();
    if (!ids.length) {
      return;
    }
    fetch(url + "?ids=" + ids.join(","), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : { jobs: [] };
      })
      .then(function (data) {
        data.jobs.forEach(update);
      })
      .catch(function () {})
      .then(function () {
        window.setTimeout(poll, 2000);
      });
  }

  window.setTimeout(poll, 2000);
})();
