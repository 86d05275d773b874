// Shared by the sample pages: render the default provider's widget, submit the form as JSON, show the answer.
window.sample = (function () {
  var SCRIPTS = {
    recaptcha: { src: 'https://www.google.com/recaptcha/api.js', css: 'g-recaptcha' },
    hcaptcha: { src: 'https://js.hcaptcha.com/1/api.js', css: 'h-captcha' },
    turnstile: { src: 'https://challenges.cloudflare.com/turnstile/v0/api.js', css: 'cf-turnstile' },
    captchala: { src: 'https://cdn.captcha-cdn.net/captchala-loader.js', css: 'captchala' }
  };

  function hosted(widget, config) {
    var box = document.createElement('div');
    box.className = SCRIPTS[config.type].css;
    box.setAttribute('data-sitekey', config.siteKey || '');
    widget.parentNode.replaceChild(box, widget);
    if (config.type === 'captchala') {
      var hidden = document.createElement('input');
      hidden.type = 'hidden';
      hidden.name = config.field;
      box.appendChild(hidden);
    }
    var script = document.createElement('script');
    script.src = SCRIPTS[config.type].src;
    script.async = true;
    document.head.appendChild(script);
    var note = document.getElementById('provider-note');
    if (note) { note.textContent = 'Provider: ' + config.provider + ' (' + config.type + ')'; }
    return box;
  }

  function reset(config, widget) {
    if (config.type === 'builtin') { CaptchaSecurity.reset(widget); }
    else if (config.type === 'recaptcha' && window.grecaptcha) { grecaptcha.reset(); }
    else if (config.type === 'hcaptcha' && window.hcaptcha) { hcaptcha.reset(); }
    else if (config.type === 'turnstile' && window.turnstile) { turnstile.reset(); }
  }

  return {
    setup: async function (form, widget, typeSelect, send) {
      var config = await (await fetch('/sample/captcha.json')).json();
      if (config.type === 'builtin') {
        if (config.siteKey) { widget.setAttribute('data-site-key', config.siteKey); }
        CaptchaSecurity.render(widget);
        typeSelect.addEventListener('change', function () {
          widget.setAttribute('data-type', typeSelect.value);
          CaptchaSecurity.reset(widget);
        });
      } else {
        typeSelect.parentNode.removeChild(typeSelect.previousElementSibling);
        typeSelect.parentNode.removeChild(typeSelect);
        widget = hosted(widget, config);
      }
      form.addEventListener('submit', async function (event) {
        event.preventDefault();
        var result = document.getElementById('result');
        var field = form.querySelector('[name="' + config.field + '"]');
        var provider = (config.type === 'builtin') ? CaptchaSecurity.provider(widget) : null;
        var response = await send(field ? field.value : '', provider);
        var body = await response.json().catch(function () { return {}; });
        if (response.status === 403 && body.code === 'captcha_escalation_required' && config.type === 'builtin') {
          result.className = 'rejected';
          result.textContent = 'One more check: solve the new challenge and send again (' + body.code + ')';
          CaptchaSecurity.escalate(widget, body.challenge);
          return;
        }
        if (response.ok) {
          result.className = 'ok';
          result.textContent = 'Success: ' + JSON.stringify(body);
        } else {
          result.className = 'rejected';
          result.textContent = 'Rejected (' + response.status + '): ' + (body.code || '') + ' ' + (body.detail || '');
        }
        if (config.type === 'builtin') { widget.removeAttribute('data-provider'); }
        reset(config, widget);
      });
    }
  };
})();
