"use strict";

// Swagger UI for /api/v1/docs/, from a file: the page's CSP allows no inline
// script. The schema's address comes from the page.
(() => {
  const root = document.getElementById("swagger-ui");
  const fallback = document.getElementById(root.dataset.fallback);

  // Swagger UI's BaseLayout without what the portal's page already has: its
  // <main> (a second main landmark, inside the page's) and its info block,
  // whose <h1> would be the page's second; the page shows the schema's title,
  // version and description itself.
  const portalLayout = ({ React }) => ({
    components: {
      PortalLayout: ({ getComponent, specSelectors }) => {
        const h = React.createElement;
        const Errors = getComponent("errors", true);
        const status = specSelectors.loadingStatus();
        if (status === "failed") {
          return h("div", { className: "swagger-ui" }, h(Errors));
        }
        if (status !== "success") {
          return null;
        }
        const AuthorizeButton = getComponent("AuthorizeBtnContainer", true);
        return h(
          "div",
          { className: "swagger-ui" },
          h(Errors),
          specSelectors.securityDefinitions()
            ? h("div", { className: "scheme-container" }, h(AuthorizeButton))
            : null,
          h(getComponent("operations", true)),
          h(getComponent("Models", true)),
        );
      },
    },
  });

  // Fields and buttons Swagger UI leaves without an accessible name: a
  // parameter's field (its name is in a cell of its own), the request body's
  // editor, the close button of the authorization dialog (an icon).
  const nameNamelessControls = () => {
    for (const row of root.querySelectorAll("tr[data-param-name]")) {
      for (const field of row.querySelectorAll(
        "input:not([aria-label]), select:not([aria-label]), textarea:not([aria-label])",
      )) {
        field.setAttribute("aria-label", row.dataset.paramName);
      }
    }
    for (const editor of root.querySelectorAll(".body-param__text:not([aria-label])")) {
      editor.setAttribute("aria-label", "Request body");
    }
    for (const button of root.querySelectorAll(".close-modal:not([aria-label])")) {
      button.setAttribute("aria-label", "Close");
    }
  };

  SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    domNode: root,
    presets: [SwaggerUIBundle.presets.apis],
    plugins: [portalLayout],
    layout: "PortalLayout",
    // A link inside each operation's toggle button would nest interactive
    // elements (axe: nested-interactive).
    deepLinking: false,
    // The light theme: the dark one's numbers are 3.5:1 on their background.
    syntaxHighlight: { activated: true, theme: "idea" },
    // Called once the schema is loaded, not when that fails: the list of
    // endpoints then stays.
    onComplete: () => {
      fallback.hidden = true;
      nameNamelessControls();
      // Operations render their fields only when opened, the dialog when asked.
      new MutationObserver(nameNamelessControls).observe(root, {
        childList: true,
        subtree: true,
      });
    },
  });
})();
