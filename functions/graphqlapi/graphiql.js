// GraphiQL on this API's POST /graphql, with the bearer token typed into the page.
// Served as a file (not inline) so that the page's Content-Security-Policy allows scripts from this origin
// only. The endpoint is the page's own path: GET shows this page, POST runs the query, under any base path.
(function () {
  "use strict";
  var input = document.getElementById("token");
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  var endpoint = window.location.pathname.replace(/\/+$/, "");

  function fetcher(token) {
    return function (params) {
      var headers = { "Content-Type": "application/json", Accept: "application/json" };
      if (token) {
        headers.Authorization = "Bearer " + token;
      }
      return fetch(endpoint, {
        method: "POST",
        credentials: "omit",
        headers: headers,
        body: JSON.stringify(params),
      }).then(function (response) {
        return response.json();
      });
    };
  }

  function render() {
    var token = input.value.trim(); // kept in this tab's memory only
    root.render(
      React.createElement(GraphiQL, {
        fetcher: fetcher(token),
        defaultQuery: "{\n  me {\n    userId\n    displayName\n    role\n  }\n}\n",
        shouldPersistHeaders: false,
      })
    );
  }

  input.addEventListener("change", render);
  document.getElementById("auth").addEventListener("submit", function (event) {
    event.preventDefault();
    render();
  });
  render();
})();
