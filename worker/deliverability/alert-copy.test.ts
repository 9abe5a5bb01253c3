import { describe, expect, it } from 'vitest';
import { copyFor, renderPauseAlert } from './alert-copy';
import type { Breach } from './rates';

const breach: Breach = { stream: 'broadcast', rate: 'complaint', value: 0.002, threshold: 0.001, level: 'pause', sent: 1500 };

describe('pause alert copy', () => {
  it('is French for French stores and English otherwise', () => {
    const fr = renderPauseAlert('fr-FR', 'Braise', [breach], 'https://ns.example.com/admin/stores/s/reputation');
    expect(fr.subject).toBe('[Braise] Envois promotionnels suspendus : réputation d\'expéditeur en danger');
    expect(fr.text).toContain('Taux de plaintes (flux broadcast)');
    expect(fr.text).toContain('1500 envois');
    const en = renderPauseAlert('de', 'Braise', [breach], 'https://ns.example.com/admin/stores/s/reputation');
    expect(en.subject).toBe('[Braise] Promotional sending paused: sender reputation at risk');
    expect(en.text).toContain('Complaint rate (stream broadcast): 0.2% against a limit of 0.1%, over 1500 sends.');
    expect(copyFor('fr').banner.paused).toContain('suspendus');
  });

  it('escapes the store name and link in the HTML part', () => {
    const { html, text } = renderPauseAlert('en', '<b>Shop</b> & "Co"', [breach], 'https://ns.example.com/a?x=1&y="2"');
    expect(html).not.toContain('<b>Shop</b>');
    expect(html).toContain('&#60;b&#62;Shop&#60;/b&#62; &#38; &#34;Co&#34;');
    expect(html).toContain('href="https://ns.example.com/a?x=1&#38;y=&#34;2&#34;"');
    expect(text).toContain('<b>Shop</b>');
  });
});
