/** Minimal, accessible server-rendered pages for login and the device flow (no scripts, no remote fonts). */

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1b1d21}
main{max-width:24rem;margin:3rem auto;padding:1.5rem 2rem;background:#fff;border-radius:6px;box-shadow:0 1px 3px rgba(0,0,0,.2)}
h1{font-size:1.5rem;margin-top:0}label{display:block;font-weight:600;margin:1rem 0 .25rem}
input[type=email],input[type=password],input[type=text]{width:100%;box-sizing:border-box;font-size:1rem;padding:.5rem;border:1px solid #6b7280;border-radius:4px}
input:focus,button:focus{outline:3px solid #2563eb;outline-offset:2px}
button{margin-top:1.25rem;font-size:1rem;padding:.6rem 1.2rem;border:0;border-radius:4px;background:#1d4ed8;color:#fff;cursor:pointer}
button.secondary{background:transparent;color:#1d4ed8;text-decoration:underline;padding-left:0}
.error{color:#b91c1c;font-weight:600}code{font-size:1.4rem;letter-spacing:.1em}`;

export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Ferry</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}

/** An error announced to screen readers and tied to the fields it is about. */
export function errorMessage(id: string, message: string | undefined): string {
  return message ? `<p id="${id}" class="error" role="alert">${escapeHtml(message)}</p>` : '';
}

export function loginPage(options: { action: string; abortAction: string; clientName: string; email?: string; error?: string }): string {
  const described = options.error ? ' aria-describedby="login-error" aria-invalid="true"' : '';
  return page(
    'Sign in',
    `<p>Sign in to continue to ${escapeHtml(options.clientName)}.</p>
${errorMessage('login-error', options.error)}
<form method="post" action="${escapeHtml(options.action)}" autocomplete="on">
<label for="email">Email</label>
<input id="email" name="email" type="email" required autocomplete="username" value="${escapeHtml(options.email ?? '')}"${described} autofocus>
<label for="password">Password</label>
<input id="password" name="password" type="password" required autocomplete="current-password"${described}>
<button type="submit">Sign in</button>
</form>
<form method="post" action="${escapeHtml(options.abortAction)}">
<button type="submit" class="secondary">Cancel</button>
</form>`,
  );
}

/** oidc-provider's user-code form, with a label tied to its input. */
export function userCodeInputPage(form: string, error: string | undefined): string {
  const labelled = form.replace(
    'name="user_code"',
    `id="user_code" name="user_code"${error ? ' aria-describedby="code-error" aria-invalid="true"' : ''}`,
  );
  return page(
    'Connect a device',
    `<p>Enter the code that <code>ferry login</code> shows.</p>
${errorMessage('code-error', error)}
<label for="user_code">Device code</label>
${labelled}
<button type="submit" form="op.deviceInputForm">Continue</button>`,
  );
}

export function userCodeConfirmPage(form: string, clientName: string, userCode: string): string {
  return page(
    'Confirm the device',
    `<p>${escapeHtml(clientName)} is asking to sign in. Continue only if your terminal shows this code:</p>
<p><code>${escapeHtml(userCode)}</code></p>
${form}
<button type="submit" form="op.deviceConfirmForm">Continue</button>
<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes" class="secondary">Abort</button>`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<p>${escapeHtml(message)}</p>`);
}
