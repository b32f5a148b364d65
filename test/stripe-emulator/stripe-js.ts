/**
 * A stand-in for Stripe.js v3 (https://js.stripe.com/v3/), served by the emulator at `/v3/`: the parts the
 * console uses. `Stripe(pk).elements().create('card')` mounts one "Card number" field; `confirmCardSetup`
 * confirms the SetupIntent against the emulator the way Stripe.js does (form POST with the publishable
 * key and the client secret), with the test PaymentMethod that Stripe's documented test card number
 * stands for, and answers `{setupIntent}` or `{error}`.
 */
export const STRIPE_JS_STAND_IN = String.raw`(function () {
  'use strict';
  var api = new URL(document.currentScript.src).origin;
  var TEST_CARDS = {
    '4242424242424242': 'pm_card_visa',
    '4000056655665556': 'pm_card_visa_debit',
    '5555555555554444': 'pm_card_mastercard',
    '378282246310005': 'pm_card_amex',
    '4000000000000002': 'pm_card_chargeDeclined',
    '4000000000000341': 'pm_card_chargeCustomerFail',
    '4000000000009995': 'pm_card_chargeDeclinedInsufficientFunds',
    '4000000000000069': 'pm_card_chargeDeclinedExpiredCard',
    '4000002760003184': 'pm_card_authenticationRequired'
  };

  function cardElement() {
    var input = null;
    var handlers = { change: [], ready: [] };
    var digits = function () { return input ? input.value.replace(/\D/g, '') : ''; };
    var element = {
      mount: function (target) {
        var host = typeof target === 'string' ? document.querySelector(target) : target;
        host.classList.add('StripeElement');
        input = document.createElement('input');
        input.type = 'text';
        input.inputMode = 'numeric';
        input.autocomplete = 'cc-number';
        input.setAttribute('aria-label', 'Card number');
        input.placeholder = '1234 1234 1234 1234';
        input.addEventListener('input', function () {
          var complete = digits().length >= 15;
          handlers.change.forEach(function (h) { h({ elementType: 'card', empty: digits().length === 0, complete: complete, error: undefined }); });
        });
        host.appendChild(input);
        handlers.ready.forEach(function (h) { h(element); });
      },
      on: function (event, handler) { (handlers[event] = handlers[event] || []).push(handler); return element; },
      focus: function () { if (input) input.focus(); },
      clear: function () { if (input) input.value = ''; },
      unmount: function () { if (input) input.remove(); input = null; },
      destroy: function () { element.unmount(); },
      _number: digits
    };
    return element;
  }

  function Stripe(key) {
    if (!/^pk_(test|live)_/.test(String(key))) throw new Error('IntegrationError: Invalid value for Stripe(): apiKey should be a publishable key (pk_test_…).');
    return {
      elements: function () { return { create: function (type) { if (type !== 'card') throw new Error('stand-in: only card elements'); return cardElement(); } }; },
      confirmCardSetup: function (clientSecret, data) {
        var card = data && data.payment_method && data.payment_method.card;
        var token = card && TEST_CARDS[card._number()];
        if (!token) return Promise.resolve({ error: { type: 'validation_error', code: 'incorrect_number', message: 'Your card number is incorrect.' } });
        var id = String(clientSecret).split('_secret_')[0];
        var body = new URLSearchParams({ payment_method: token, expected_payment_method_type: 'card', key: key, client_secret: clientSecret });
        return fetch(api + '/v1/setup_intents/' + encodeURIComponent(id) + '/confirm', { method: 'POST', body: body })
          .then(function (res) { return res.json(); })
          .then(function (json) {
            if (json.error) return { error: json.error };
            if (json.status === 'requires_action') return { error: { type: 'invalid_request_error', code: 'setup_intent_authentication_failure', message: 'We are unable to authenticate your payment method. Please choose a different payment method and try again.', setup_intent: json } };
            return { setupIntent: json };
          });
      }
    };
  }
  window.Stripe = Stripe;
})();
`;
