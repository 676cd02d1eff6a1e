// Single sign-on (SAML): the identity provider's page posted the response across sites, so the
// browser held back our session cookie (SameSite=Lax); posting it again from our own page sends it.
document.querySelectorAll("form[data-sso-repost]").forEach((form) => form.submit());
