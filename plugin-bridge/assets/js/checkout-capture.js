/**
 * Nightshift Bridge: sends the checkout email to the store (wc-ajax=nightshift_capture) as soon as
 * the shopper has typed a valid address, with their consent choices, so an abandoned cart can be
 * recovered even when the Nightshift tracker is blocked. Never interferes with the checkout.
 */
( function () {
	'use strict';

	var config = window.nightshiftCheckout;
	if ( ! config || ! window.fetch || ! window.URLSearchParams ) {
		return;
	}

	var WATCHED = [ 'billing_email', 'billing_phone', 'nightshift_email_consent', 'nightshift_sms_consent' ];
	var EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
	var timer = 0;
	var lastSent = '';

	function field( id ) {
		return document.getElementById( id );
	}

	function value( id ) {
		var el = field( id );
		return el ? String( el.value || '' ).trim() : '';
	}

	function checked( id ) {
		var el = field( id );
		return !! ( el && el.checked );
	}

	function send() {
		var email = value( 'billing_email' );
		if ( ! EMAIL.test( email ) ) {
			return;
		}
		var data = new URLSearchParams();
		data.append( 'security', config.nonce );
		data.append( 'email', email );
		data.append( 'phone', value( 'billing_phone' ) );
		data.append( 'email_consent', checked( 'nightshift_email_consent' ) ? '1' : '' );
		data.append( 'sms_consent', checked( 'nightshift_sms_consent' ) ? '1' : '' );
		var state = data.toString();
		if ( state === lastSent ) {
			return;
		}
		lastSent = state;
		window.fetch( config.endpoint, { method: 'POST', body: data, credentials: 'same-origin', keepalive: true } ).catch( function () {} );
	}

	function schedule( delay ) {
		window.clearTimeout( timer );
		timer = window.setTimeout( send, delay );
	}

	function onEvent( event ) {
		if ( event.target && WATCHED.indexOf( event.target.id ) !== -1 ) {
			schedule( event.type === 'input' ? 800 : 0 );
		}
	}

	document.addEventListener( 'input', onEvent, true );
	document.addEventListener( 'change', onEvent, true );
	document.addEventListener( 'blur', onEvent, true );
	// Logged-in customers and autofill arrive with the email already filled in.
	schedule( 1500 );
}() );
