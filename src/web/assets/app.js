// Passerelles: small enhancements; every page works without them.
document.addEventListener('DOMContentLoaded', () => {
  // After a form with errors, bring the summary into view and focus (keyboard and screen readers).
  const summary = document.getElementById('erreurs');
  if (summary) { summary.focus(); return; }
  // After a preview or an import, go to the results.
  const target = document.querySelector('#resultats[tabindex], #rapport-import');
  if (target && !location.hash) target.focus();
  // Revoking a key cannot be undone: ask first.
  for (const form of document.querySelectorAll('form[action$="/revoquer"]')) {
    form.addEventListener('submit', (event) => {
      if (!window.confirm('Révoquer cette clé ? Elle ne permettra plus de se connecter.')) event.preventDefault();
    });
  }
});
