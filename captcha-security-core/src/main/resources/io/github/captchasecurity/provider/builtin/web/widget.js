/*
 * captcha-security widget: renders a built-in CAPTCHA challenge inside a form and puts the pass token into a
 * hidden "captcha-token" field. No dependencies.
 *
 *   <div class="captcha-widget" data-site-key="demo-site-key" data-type="math" data-action="contact"></div>
 *   <script src="/captcha/widget.js" defer></script>
 *
 * data-type: image | audio (the image challenge's answer spoken) | math | grid | pow (invisible proof of work,
 * solved in a Web Worker); default image. A "switch challenge" control offers the other types the site key allows,
 * narrowed by data-types (e.g. "image,math": the types the route accepts; audio goes with image).
 * data-size: grid image size, 100 | 300 | 450 (default 300). data-base-path: API base (default: where this
 * script was loaded from). data-field: hidden field name (default captcha-token). data-lang: language override
 * (otherwise the first of navigator.languages the widget has, then the page's lang, then en). data-style="none":
 * do not link widget.css (loaded from the same base).
 * If a form is submitted with an answer that was not checked yet (or while the proof of work is running), the
 * widget checks it first and then submits again; with no answer at all the form is submitted as it is, and the
 * server rejects it.
 * API: window.CaptchaSecurity.token(element) -> Promise<token>, .reset(element), .render(element),
 * .escalate(element, challenge) (after a 403 captcha_escalation_required: shows the stronger challenge it names),
 * .provider(element) (the provider to name in the X-Captcha-Provider header, set by escalate or data-provider).
 * Events on the element: "captcha:verified" (detail.token), "captcha:error", "captcha:reset".
 */
(function () {
  'use strict';
  if (window.CaptchaSecurity) { return; }

  var script = document.currentScript;
  var defaultBase = (script && script.src) ? script.src.replace(/\/widget\.js(\?.*)?$/, '') : '/captcha';

  var I18N = {
    en: { escalated: 'One more check, please.', title: 'Security check', image: 'Type the characters you see', math: 'Answer the question',
      grid: 'Select all squares with a {shape}', reload: 'New challenge', verify: 'Verify', verified: 'Verified',
      wrong: 'That was not right. Please try this new challenge.', error: 'The challenge could not be loaded.',
      working: 'Checking your browser…', loading: 'Loading…', answer: 'Your answer',
      audio: 'Type the characters you hear', audioLabel: 'Spoken characters (audio challenge)', imageAlt: 'Picture of distorted characters',
      switchLabel: 'Other challenge:', tile: 'Tile {n} of {total}, row {row}, column {col}',
      rateLimited: 'Too many attempts. Try again {when}.', later: 'later',
      types: { image: 'Picture', audio: 'Audio', math: 'Math question', grid: 'Picture grid', pow: 'No puzzle' },
      shapes: { circle: 'circle', moon: 'moon', triangle: 'triangle', star: 'star', cross: 'cross', heart: 'heart' } },
    de: { escalated: 'Bitte noch eine Prüfung.', title: 'Sicherheitsprüfung', image: 'Geben Sie die angezeigten Zeichen ein', math: 'Beantworten Sie die Frage',
      grid: 'Wählen Sie alle Felder mit einem {shape}', reload: 'Neue Aufgabe', verify: 'Prüfen', verified: 'Bestätigt',
      wrong: 'Das war nicht richtig. Bitte lösen Sie die neue Aufgabe.', error: 'Die Aufgabe konnte nicht geladen werden.',
      working: 'Ihr Browser wird geprüft…', loading: 'Wird geladen…', answer: 'Ihre Antwort',
      audio: 'Geben Sie die gehörten Zeichen ein', audioLabel: 'Gesprochene Zeichen (Audio-Aufgabe)', imageAlt: 'Bild mit verzerrten Zeichen',
      switchLabel: 'Andere Aufgabe:', tile: 'Feld {n} von {total}, Zeile {row}, Spalte {col}',
      rateLimited: 'Zu viele Versuche. Bitte versuchen Sie es {when} erneut.', later: 'später',
      types: { image: 'Bild', audio: 'Audio', math: 'Rechenfrage', grid: 'Bilderraster', pow: 'Ohne Rätsel' },
      shapes: { circle: 'Kreis', moon: 'Mond', triangle: 'Dreieck', star: 'Stern', cross: 'Kreuz', heart: 'Herz' } },
    es: { escalated: 'Una comprobación más, por favor.', title: 'Verificación de seguridad', image: 'Escriba los caracteres que ve', math: 'Responda la pregunta',
      grid: 'Seleccione todas las casillas con un {shape}', reload: 'Nuevo desafío', verify: 'Verificar', verified: 'Verificado',
      wrong: 'No es correcto. Inténtelo con este nuevo desafío.', error: 'No se pudo cargar el desafío.',
      working: 'Comprobando su navegador…', loading: 'Cargando…', answer: 'Su respuesta',
      audio: 'Escriba los caracteres que oye', audioLabel: 'Caracteres hablados (desafío de audio)', imageAlt: 'Imagen de caracteres distorsionados',
      switchLabel: 'Otro desafío:', tile: 'Casilla {n} de {total}, fila {row}, columna {col}',
      rateLimited: 'Demasiados intentos. Vuelva a intentarlo {when}.', later: 'más tarde',
      types: { image: 'Imagen', audio: 'Audio', math: 'Pregunta de cálculo', grid: 'Cuadrícula de imágenes', pow: 'Sin acertijo' },
      shapes: { circle: 'círculo', moon: 'luna', triangle: 'triángulo', star: 'estrella', cross: 'cruz', heart: 'corazón' } },
    fr: { escalated: 'Encore une vérification, s’il vous plaît.', title: 'Contrôle de sécurité', image: 'Saisissez les caractères affichés', math: 'Répondez à la question',
      grid: 'Sélectionnez toutes les cases contenant : {shape}', reload: 'Nouveau défi', verify: 'Vérifier', verified: 'Vérifié',
      wrong: 'Ce n’est pas correct. Essayez ce nouveau défi.', error: 'Le défi n’a pas pu être chargé.',
      working: 'Vérification de votre navigateur…', loading: 'Chargement…', answer: 'Votre réponse',
      audio: 'Saisissez les caractères entendus', audioLabel: 'Caractères prononcés (défi audio)', imageAlt: 'Image de caractères déformés',
      switchLabel: 'Autre défi :', tile: 'Case {n} sur {total}, ligne {row}, colonne {col}',
      rateLimited: 'Trop de tentatives. Réessayez {when}.', later: 'plus tard',
      types: { image: 'Image', audio: 'Audio', math: 'Question de calcul', grid: 'Grille d’images', pow: 'Sans énigme' },
      shapes: { circle: 'cercle', moon: 'lune', triangle: 'triangle', star: 'étoile', cross: 'croix', heart: 'cœur' } },
    ja: { escalated: 'もう一度確認してください。', title: 'セキュリティチェック', image: '表示されている文字を入力してください', math: '質問に答えてください',
      grid: '{shape}が含まれるマスをすべて選択してください', reload: '新しい問題', verify: '確認', verified: '確認済み',
      wrong: '正しくありません。新しい問題をお試しください。', error: '問題を読み込めませんでした。',
      working: 'ブラウザを確認しています…', loading: '読み込み中…', answer: '回答',
      audio: '聞こえた文字を入力してください', audioLabel: '読み上げられる文字（音声の問題）', imageAlt: 'ゆがんだ文字の画像',
      switchLabel: '別の問題：', tile: 'マス {n}/{total}、{row}行目 {col}列目',
      rateLimited: '試行回数が多すぎます。{when}にもう一度お試しください。', later: 'しばらく後',
      types: { image: '画像', audio: '音声', math: '計算問題', grid: '画像グリッド', pow: 'パズルなし' },
      shapes: { circle: '円', moon: '月', triangle: '三角', star: '星', cross: '十字', heart: 'ハート' } },
    pt: { escalated: 'Mais uma verificação, por favor.', title: 'Verificação de segurança', image: 'Digite os caracteres que você vê', math: 'Responda à pergunta',
      grid: 'Selecione todos os quadrados com um {shape}', reload: 'Novo desafio', verify: 'Verificar', verified: 'Verificado',
      wrong: 'Não está correto. Tente este novo desafio.', error: 'Não foi possível carregar o desafio.',
      working: 'Verificando seu navegador…', loading: 'Carregando…', answer: 'Sua resposta',
      audio: 'Digite os caracteres que você ouve', audioLabel: 'Caracteres falados (desafio de áudio)', imageAlt: 'Imagem de caracteres distorcidos',
      switchLabel: 'Outro desafio:', tile: 'Quadrado {n} de {total}, linha {row}, coluna {col}',
      rateLimited: 'Tentativas demais. Tente novamente {when}.', later: 'mais tarde',
      types: { image: 'Imagem', audio: 'Áudio', math: 'Pergunta de cálculo', grid: 'Grade de imagens', pow: 'Sem enigma' },
      shapes: { circle: 'círculo', moon: 'lua', triangle: 'triângulo', star: 'estrela', cross: 'cruz', heart: 'coração' } },
    ru: { escalated: 'Ещё одна проверка, пожалуйста.', title: 'Проверка безопасности', image: 'Введите символы с картинки', math: 'Ответьте на вопрос',
      grid: 'Выберите все клетки, где есть {shape}', reload: 'Новое задание', verify: 'Проверить', verified: 'Проверено',
      wrong: 'Неверно. Попробуйте новое задание.', error: 'Не удалось загрузить задание.',
      working: 'Проверяем ваш браузер…', loading: 'Загрузка…', answer: 'Ваш ответ',
      audio: 'Введите услышанные символы', audioLabel: 'Произносимые символы (аудиозадание)', imageAlt: 'Картинка с искажёнными символами',
      switchLabel: 'Другое задание:', tile: 'Клетка {n} из {total}, строка {row}, столбец {col}',
      rateLimited: 'Слишком много попыток. Повторите {when}.', later: 'позже',
      types: { image: 'Картинка', audio: 'Аудио', math: 'Пример', grid: 'Сетка картинок', pow: 'Без задания' },
      shapes: { circle: 'круг', moon: 'луна', triangle: 'треугольник', star: 'звезда', cross: 'крест', heart: 'сердце' } },
    zh: { escalated: '请再完成一项验证。', title: '安全验证', image: '请输入您看到的字符', math: '请回答问题',
      grid: '请选择所有包含{shape}的方格', reload: '换一个', verify: '验证', verified: '已验证',
      wrong: '回答不正确，请尝试新的验证。', error: '无法加载验证。',
      working: '正在检查您的浏览器…', loading: '加载中…', answer: '您的答案',
      audio: '请输入您听到的字符', audioLabel: '朗读的字符（音频验证）', imageAlt: '扭曲字符的图片',
      switchLabel: '换一种验证：', tile: '第 {n} 格（共 {total} 格），第 {row} 行第 {col} 列',
      rateLimited: '尝试次数过多。请{when}再试。', later: '稍后',
      types: { image: '图片', audio: '音频', math: '算术题', grid: '图片方格', pow: '无需答题' },
      shapes: { circle: '圆形', moon: '月亮', triangle: '三角形', star: '星形', cross: '十字', heart: '心形' } }
  };

  /* data-lang, then the browser's languages the widget has, then the page's lang, then English. */
  function language(el) {
    var candidates = [el.getAttribute('data-lang')].concat(navigator.languages || [navigator.language])
      .concat([closestLang(el), document.documentElement.lang]);
    for (var i = 0; i < candidates.length; i++) {
      var code = (candidates[i] || '').toLowerCase().split(/[-_]/)[0];
      if (I18N[code]) { return code; }
    }
    return 'en';
  }

  function closestLang(el) {
    var node = el.closest ? el.closest('[lang]') : null;
    return node ? node.getAttribute('lang') : null;
  }

  function text(state, key, values) {
    var value = I18N[state.lang][key] || I18N.en[key];
    Object.keys(values || {}).forEach(function (name) { value = value.replace('{' + name + '}', values[name]); });
    return value;
  }

  function typeName(state, type) {
    return (I18N[state.lang].types || I18N.en.types)[type] || type;
  }

  function create(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === 'text') { node.textContent = attributes[name]; } else { node.setAttribute(name, attributes[name]); }
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  var counter = 0;
  var states = new WeakMap();

  function failure(response, json) {
    var error = new Error(json.detail || 'request failed');
    error.status = response.status;
    error.code = json.code;
    error.retryAfter = parseInt(response.headers.get('Retry-After') || '', 10);
    return error;
  }

  function post(state, endpoint, body) {
    return fetch(state.base + '/' + endpoint, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (!response.ok) { throw failure(response, json); }
        return json;
      });
    });
  }

  /* What to tell the person: never status codes or server details (those go to the captcha:error event). */
  function userMessage(state, error) {
    if (error && error.status === 429) {
      var seconds = error.retryAfter > 0 ? error.retryAfter : 0;
      var when = text(state, 'later');
      if (seconds > 0 && window.Intl && Intl.RelativeTimeFormat) {
        var format = new Intl.RelativeTimeFormat(state.lang, { numeric: 'always' });
        if (seconds <= 60) { when = format.format(Math.ceil(seconds / 5) * 5, 'second'); }
        else if (seconds < 3600) { when = format.format(Math.ceil(seconds / 60), 'minute'); }
        else { when = format.format(Math.ceil(seconds / 3600), 'hour'); }
      }
      return text(state, 'rateLimited', { when: when });
    }
    return text(state, 'error');
  }

  function linkStyles(state) {
    if (state.el.getAttribute('data-style') === 'none' || document.querySelector('link[data-captcha-style]')) { return; }
    var link = create('link', { rel: 'stylesheet', href: state.base + '/widget.css', 'data-captcha-style': '' });
    var head = document.head || document.documentElement;
    head.insertBefore(link, head.firstChild);
  }

  function render(el) {
    var state = states.get(el);
    if (!state) {
      counter += 1;
      state = { id: 'captcha-' + counter, el: el, lang: language(el), token: null, pending: null,
        base: (el.getAttribute('data-base-path') || defaultBase).replace(/\/$/, ''),
        siteKey: el.getAttribute('data-site-key'), field: el.getAttribute('data-field') || 'captcha-token' };
      states.set(el, state);
      linkStyles(state);
      var form = el.closest('form');
      state.hidden = (form && form.querySelector('input[type=hidden][name="' + state.field + '"]')) ||
        create('input', { type: 'hidden', name: state.field });
      if (!state.hidden.parentNode) { el.appendChild(state.hidden); }
    }
    load(state);
    return state;
  }

  function load(state) {
    var el = state.el;
    state.mode = (el.getAttribute('data-type') || 'image').toLowerCase();
    state.type = state.mode === 'audio' ? 'image' : state.mode;
    state.action = el.getAttribute('data-action');
    state.size = parseInt(el.getAttribute('data-size') || '300', 10);
    state.token = null;
    state.pending = null;
    state.challenge = null;
    state.answer = null;
    state.hidden.value = '';
    while (el.firstChild) { el.removeChild(el.firstChild); }
    el.appendChild(state.hidden);
    el.classList.add('captcha-widget');
    el.classList.remove('captcha-verified');
    el.setAttribute('role', 'group');
    el.setAttribute('aria-label', text(state, 'title'));
    state.status = create('p', { 'class': 'captcha-status', 'aria-live': 'polite', id: state.id + '-status',
      tabindex: '-1' });
    state.body = create('div', { 'class': 'captcha-body' });
    el.appendChild(state.body);
    el.appendChild(state.status);
    setStatus(state, text(state, state.type === 'pow' ? 'working' : 'loading'));
    var request = { site_key: state.siteKey, type: state.type };
    if (state.action) { request.action = state.action; }
    if (state.type === 'grid') { request.size = state.size; }
    return post(state, 'generate', request).then(function (challenge) {
      state.challenge = challenge;
      el.setAttribute('data-captcha-id', challenge.captcha_id || '');
      setStatus(state, '');
      if (challenge.type === 'pow') {
        state.pending = solvePow(state, challenge).then(function (token) { state.pending = null; return token; });
        return state.pending;
      }
      show(state);
    }).catch(function (error) {
      setStatus(state, userMessage(state, error));
      state.body.appendChild(button(text(state, 'reload'), function () { load(state); }, 'captcha-reload'));
      fire(state, 'captcha:error', { error: String(error && error.message), code: error && error.code,
        status: error && error.status });
    });
  }

  /* Draw the loaded challenge in the current mode (the audio form shares the image challenge). */
  function show(state) {
    var challenge = state.challenge;
    var body = state.body;
    while (body.firstChild) { body.removeChild(body.firstChild); }
    if (state.mode === 'audio' && !challenge.audio) { state.mode = 'image'; }
    body.appendChild(challenge.type === 'grid' ? gridView(state, challenge) : answerView(state, challenge));
    body.appendChild(create('div', { 'class': 'captcha-actions' }, [
      button(text(state, 'verify'), function () { verify(state).catch(function () {}); }, 'captcha-verify'),
      button(text(state, 'reload'), function () { state.focus = true; load(state); }, 'captcha-reload')
    ]));
    var others = alternatives(state);
    if (others.length) {
      var labelId = state.id + '-switch';
      var group = create('div', { 'class': 'captcha-switch', role: 'group', 'aria-labelledby': labelId },
        [create('span', { id: labelId, 'class': 'captcha-switch-label', text: text(state, 'switchLabel') })]);
      others.forEach(function (type) {
        var node = button(typeName(state, type), function () { switchTo(state, type); }, 'captcha-switch-to');
        node.setAttribute('data-type', type);
        group.appendChild(node);
      });
      body.appendChild(group);
    }
    if (state.focus) {
      state.focus = false;
      var first = body.querySelector('audio, input, button');
      if (first) { first.focus(); }
    }
  }

  /* The types to offer: what the site key allows (server) and data-types allows (route), audio with image. */
  function alternatives(state) {
    var allowed = (state.challenge.types || []).slice();
    if (state.challenge.audio) { allowed.splice(allowed.indexOf('image') + 1, 0, 'audio'); }
    var route = state.el.getAttribute('data-types');
    if (route) {
      var wanted = route.toLowerCase().split(/[\s,]+/);
      if (wanted.indexOf('image') >= 0 && wanted.indexOf('audio') < 0) { wanted.push('audio'); }
      allowed = allowed.filter(function (type) { return wanted.indexOf(type) >= 0; });
    }
    return allowed.filter(function (type) { return type !== state.mode && I18N.en.types[type]; });
  }

  function switchTo(state, type) {
    state.el.setAttribute('data-type', type);
    state.focus = true;
    var sameChallenge = state.challenge && state.challenge.type === 'image' && (type === 'audio' || type === 'image');
    if (sameChallenge && !state.pending) {
      state.mode = type;
      show(state);
    } else {
      load(state);
    }
  }

  function button(label, onClick, className) {
    var node = create('button', { type: 'button', 'class': className, text: label });
    node.addEventListener('click', onClick);
    return node;
  }

  function answerView(state, challenge) {
    var inputId = state.id + '-answer';
    var audio = state.mode === 'audio';
    var prompt = challenge.type === 'math' ? (challenge.question || text(state, 'math')) : text(state, audio ? 'audio' : 'image');
    var children = [];
    if (audio) {
      var player = create('audio', { controls: '', preload: 'none', 'class': 'captcha-audio',
        'aria-label': text(state, 'audioLabel') });
      children.push(player);
      loadAudio(state, challenge, player);
    } else if (challenge.image) {
      children.push(create('img', { src: 'data:image/png;base64,' + challenge.image, alt: challenge.type === 'math' ?
        challenge.question : text(state, 'imageAlt'), 'class': 'captcha-image' }));
    }
    children.push(create('label', { 'for': inputId, 'class': 'captcha-question', text: prompt }));
    var input = create('input', { id: inputId, type: 'text', autocomplete: 'off', autocapitalize: 'off',
      spellcheck: 'false', 'class': 'captcha-answer', 'aria-describedby': state.id + '-status',
      inputmode: challenge.type === 'math' ? 'numeric' : 'text' });
    input.addEventListener('keydown', function (event) {
      if (event.key === 'Enter') { event.preventDefault(); verify(state).catch(function () {}); }
    });
    state.answer = function () { return input.value; };
    children.push(input);
    return create('div', { 'class': 'captcha-challenge' }, children);
  }

  /* Fetched once per view (the server allows a few plays per challenge); replays are local. */
  function loadAudio(state, challenge, player) {
    fetch(state.base + '/audio?challenge=' + encodeURIComponent(challenge.captcha_id), { credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) {
          return response.json().catch(function () { return {}; }).then(function (json) { throw failure(response, json); });
        }
        return response.blob();
      }).then(function (blob) {
        if (state.challenge !== challenge) { return; }
        player.src = URL.createObjectURL(blob);
        player.setAttribute('data-loaded', 'true');
      }).catch(function (error) {
        setStatus(state, userMessage(state, error));
        fire(state, 'captcha:error', { error: String(error && error.message), code: error && error.code,
          status: error && error.status });
      });
  }

  function gridView(state, challenge) {
    var shape = (challenge.label || '').split('/').pop();
    var prompt = text(state, 'grid', { shape: (I18N[state.lang].shapes || I18N.en.shapes)[shape] || shape });
    var rows = challenge.rows || 3;
    var cols = challenge.cols || 3;
    var selected = {};
    var promptId = state.id + '-grid';
    var grid = create('div', { 'class': 'captcha-grid', role: 'group', 'aria-labelledby': promptId });
    grid.style.setProperty('--captcha-grid-size', (challenge.size || 300) + 'px');
    grid.style.backgroundImage = 'url(data:image/png;base64,' + challenge.image + ')';
    for (var i = 0; i < rows * cols; i++) {
      (function (index) {
        var tile = create('button', { type: 'button', 'class': 'captcha-tile', 'aria-pressed': 'false',
          'data-index': String(index), 'aria-label': text(state, 'tile', { n: index + 1, total: rows * cols,
            row: Math.floor(index / cols) + 1, col: (index % cols) + 1 }) });
        tile.style.left = (index % cols) * (100 / cols) + '%';
        tile.style.top = Math.floor(index / cols) * (100 / rows) + '%';
        tile.addEventListener('click', function () {
          selected[index] = !selected[index];
          tile.setAttribute('aria-pressed', String(selected[index]));
        });
        grid.appendChild(tile);
      })(i);
    }
    state.answer = function () {
      return Object.keys(selected).filter(function (k) { return selected[k]; }).join(',');
    };
    return create('div', { 'class': 'captcha-challenge' }, [create('p', { 'class': 'captcha-question', id: promptId,
      text: prompt }), grid]);
  }

  function verify(state) {
    if (state.token) { return Promise.resolve(state.token); }
    if (state.pending) { return state.pending; }
    if (!state.challenge || !state.answer) { return Promise.reject(new Error('not ready')); }
    state.pending = post(state, 'validate', { site_key: state.siteKey, captcha_id: state.challenge.captcha_id,
      user_input: state.answer() }).then(function (result) {
      state.pending = null;
      if (result.valid && result.token) { return done(state, result.token); }
      state.focus = true;
      return load(state).then(function () {
        setStatus(state, text(state, 'wrong'));
        throw new Error('wrong answer');
      });
    }, function (error) {
      state.pending = null;
      state.focus = true;
      return load(state).then(function () {
        setStatus(state, userMessage(state, error));
        throw error;
      });
    });
    return state.pending;
  }

  function done(state, token) {
    state.token = token;
    state.hidden.value = token;
    var body = state.el.querySelector('.captcha-body');
    var hadFocus = body && body.contains(document.activeElement);
    if (body) { while (body.firstChild) { body.removeChild(body.firstChild); } }
    setStatus(state, '✓ ' + text(state, 'verified'));
    if (hadFocus) { state.status.focus(); } // keyboard users keep their place: the next Tab leaves the widget
    state.el.classList.add('captcha-verified');
    fire(state, 'captcha:verified', { token: token });
    return token;
  }

  function setStatus(state, message) { state.status.textContent = message; }

  function fire(state, name, detail) {
    state.el.dispatchEvent(new CustomEvent(name, { bubbles: true, detail: detail }));
  }

  /* Proof of work: find number with SHA-256(salt + number) == challenge, in a Web Worker when possible. */
  var WORKER = '(' + function () {
    var K = [0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
      0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
      0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
      0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
      0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
      0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
      0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
      0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2];
    function sha256hex(ascii) {
      var bytes = [];
      for (var i = 0; i < ascii.length; i++) { bytes.push(ascii.charCodeAt(i) & 0xff); }
      var bitLength = bytes.length * 8;
      bytes.push(0x80);
      while (bytes.length % 64 !== 56) { bytes.push(0); }
      for (var s = 7; s >= 0; s--) { bytes.push(s >= 4 ? 0 : (bitLength >>> (s * 8)) & 0xff); }
      var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
      var w = new Array(64);
      for (var offset = 0; offset < bytes.length; offset += 64) {
        for (var t = 0; t < 16; t++) {
          w[t] = (bytes[offset + t * 4] << 24) | (bytes[offset + t * 4 + 1] << 16) | (bytes[offset + t * 4 + 2] << 8) | bytes[offset + t * 4 + 3];
        }
        for (t = 16; t < 64; t++) {
          var x = w[t - 15], y = w[t - 2];
          var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
          var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
          w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
        }
        var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
        for (t = 0; t < 64; t++) {
          var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
          var ch = (e & f) ^ (~e & g);
          var t1 = (k + S1 + ch + K[t] + w[t]) | 0;
          var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
          var maj = (a & b) ^ (a & c) ^ (b & c);
          var t2 = (S0 + maj) | 0;
          k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
        }
        h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
        h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + k) | 0;
      }
      return h.map(function (v) { return ('00000000' + (v >>> 0).toString(16)).slice(-8); }).join('');
    }
    function solve(challenge) {
      for (var n = 0; n <= challenge.maxnumber; n++) {
        if (sha256hex(challenge.salt + n) === challenge.challenge) { return n; }
      }
      return -1;
    }
    if (typeof self !== 'undefined' && typeof window === 'undefined') {
      self.onmessage = function (event) { self.postMessage({ number: solve(event.data) }); };
    } else {
      window.__captchaSolve = solve;
    }
  } + ')();';

  function solvePow(state, challenge) {
    return new Promise(function (resolve, reject) {
      var started = Date.now();
      var finish = function (number) {
        if (number < 0) { reject(new Error('no solution')); return; }
        var payload = btoa(JSON.stringify({ algorithm: challenge.algorithm, challenge: challenge.challenge,
          number: number, salt: challenge.salt, signature: challenge.signature, took: Date.now() - started }));
        resolve(done(state, payload));
      };
      try {
        var url = URL.createObjectURL(new Blob([WORKER], { type: 'text/javascript' }));
        var worker = new Worker(url);
        worker.onmessage = function (event) { worker.terminate(); URL.revokeObjectURL(url); finish(event.data.number); };
        worker.onerror = function () { worker.terminate(); URL.revokeObjectURL(url); inline(); };
        worker.postMessage(challenge);
      } catch (e) {
        inline();
      }
      function inline() {
        if (!window.__captchaSolve) { (new Function(WORKER))(); }
        setTimeout(function () { finish(window.__captchaSolve(challenge)); }, 0);
      }
    });
  }

  /* A form submitted before its challenge was checked: check it, then submit again. */
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var widgets = form.querySelectorAll ? form.querySelectorAll('.captcha-widget, [data-captcha-widget]') : [];
    for (var i = 0; i < widgets.length; i++) {
      var state = states.get(widgets[i]);
      var answered = state && state.answer && String(state.answer()).trim() !== '';
      if (state && !state.token && (state.pending || answered)) {
        event.preventDefault();
        event.stopImmediatePropagation();
        var submitter = event.submitter;
        verify(state).then(function () {
          if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { form.submit(); }
        }, function () {});
        return;
      }
    }
  }, true);

  window.CaptchaSecurity = {
    render: render,
    reset: function (el) { var state = states.get(el) || render(el); load(state); fire(state, 'captcha:reset', {}); },
    escalate: function (el, challenge) {
      challenge = challenge || {};
      if (challenge.type) { el.setAttribute('data-type', challenge.type); }
      if (challenge.provider) { el.setAttribute('data-provider', challenge.provider); }
      if (challenge.site_key) { el.setAttribute('data-site-key', challenge.site_key); }
      var state = states.get(el) || render(el);
      state.siteKey = el.getAttribute('data-site-key');
      return load(state).then(function () {
        setStatus(state, text(state, 'escalated'));
        fire(state, 'captcha:escalated', { challenge: challenge });
      });
    },
    provider: function (el) { return el.getAttribute('data-provider'); },
    token: function (el) { var state = states.get(el) || render(el); return verify(state); }
  };

  function init() {
    var nodes = document.querySelectorAll('.captcha-widget, [data-captcha-widget]');
    for (var i = 0; i < nodes.length; i++) { if (!states.get(nodes[i])) { render(nodes[i]); } }
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
})();
