<?php
/**
 * Every string is translatable in the plugin's domain, and the shipped French covers all of them.
 *
 * @package NightshiftBridge\Tests
 */

// phpcs:disable

final class TranslationsTest extends Nightshift_Test_Case {

	private static function root(): string {
		return dirname( __DIR__ );
	}

	/** msgids of a .pot/.po file (single-line entries, as bin/make-pot.sh writes them unwrapped by msgcat). */
	private static function po_entries( string $file ): array {
		exec( 'msgcat --no-wrap ' . escapeshellarg( $file ) . ' 2>/dev/null', $lines, $status );
		if ( 0 !== $status ) {
			$lines = file( $file, FILE_IGNORE_NEW_LINES );
		}
		$entries = array();
		$id      = null;
		foreach ( $lines as $line ) {
			if ( preg_match( '/^msgid "(.*)"$/', $line, $m ) ) {
				$id = stripcslashes( $m[1] );
			} elseif ( null !== $id && preg_match( '/^msgstr "(.*)"$/', $line, $m ) ) {
				if ( '' !== $id ) {
					$entries[ $id ] = stripcslashes( $m[1] );
				}
				$id = null;
			}
		}
		return $entries;
	}

	/** Reads a GNU .mo file (little-endian, as msgfmt writes it here). */
	private static function mo_entries( string $file ): array {
		$data = file_get_contents( $file );
		$head = unpack( 'Vmagic/Vrevision/Vcount/Voriginals/Vtranslations', substr( $data, 0, 20 ) );
		self::assertSame( 0x950412de, $head['magic'] );
		$entries = array();
		for ( $i = 0; $i < $head['count']; $i++ ) {
			$o = unpack( 'Vlength/Voffset', substr( $data, $head['originals'] + 8 * $i, 8 ) );
			$t = unpack( 'Vlength/Voffset', substr( $data, $head['translations'] + 8 * $i, 8 ) );
			$entries[ substr( $data, $o['offset'], $o['length'] ) ] = substr( $data, $t['offset'], $t['length'] );
		}
		unset( $entries[''] );
		return $entries;
	}

	public function test_every_gettext_call_uses_the_plugin_text_domain(): void {
		foreach ( glob( self::root() . '/includes/*.php' ) as $file ) {
			$source = file_get_contents( $file );
			preg_match_all( '/\b(?:__|esc_html__|esc_attr__|_e|esc_html_e)\(\s*\'(?:[^\'\\\\]|\\\\.)*\'\s*(?:,\s*\'([^\']*)\')?\s*\)/', $source, $calls, PREG_SET_ORDER );
			foreach ( $calls as $call ) {
				$this->assertSame( 'nightshift-bridge', $call[1] ?? '', basename( $file ) . ': ' . $call[0] );
			}
		}
	}

	public function test_the_french_po_translates_every_string_of_the_pot(): void {
		$pot = self::po_entries( self::root() . '/languages/nightshift-bridge.pot' );
		$po  = self::po_entries( self::root() . '/languages/nightshift-bridge-fr_FR.po' );
		$this->assertNotEmpty( $pot );
		$this->assertSame( array_keys( $pot ), array_keys( array_intersect_key( $po, $pot ) ) );
		$this->assertSame( array(), array_keys( array_filter( $po, static function ( $s ) { return '' === $s; } ) ) );
	}

	public function test_the_compiled_mo_matches_the_po(): void {
		$po = self::po_entries( self::root() . '/languages/nightshift-bridge-fr_FR.po' );
		$mo = self::mo_entries( self::root() . '/languages/nightshift-bridge-fr_FR.mo' );
		ksort( $po );
		ksort( $mo );
		$this->assertSame( $po, $mo );
		$this->assertSame( 'Jeton de connexion', $mo['Connect token'] );
	}
}
