// The API playground: Swagger UI on this API's own OpenAPI document.
// Served as a file (not inline) so that the page's Content-Security-Policy allows scripts from
// this origin only. Every URL is relative to the page, so the playground works under any base path.
(function () {
  "use strict";
  var page = new URL(window.location.href);
  var base = new URL(".", page).href.replace(/\/$/, ""); // the API's base URL: the folder the page is in
  var target = document.getElementById("ui");

  fetch(new URL("openapi.json", page).href, { credentials: "omit", headers: { accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("GET openapi.json answered " + response.status);
      }
      return response.json();
    })
    .then(function (spec) {
      spec.servers = [{ url: base, description: "this API" }]; // "Try it out" calls the API the page came from
      window.ui = SwaggerUIBundle({
        spec: spec,
        dom_id: "#ui",
        deepLinking: false,
        persistAuthorization: false, // the access token lives in this tab's memory only
        validatorUrl: null, // no call to the public validator: nothing leaves this origin
        tryItOutEnabled: false,
        displayRequestDuration: true,
        presets: [SwaggerUIBundle.presets.apis],
        layout: "BaseLayout",
      });
    })
    .catch(function (error) {
      target.textContent = "The playground could not load the API description: " + error.message;
    });
})();
