import type { SettingsField } from '../copy-settings';
import { CheckField, SecretField, TextField, type FieldProps } from './settings';

type FormProps = Omit<FieldProps, 'name'>;
const at = (props: FormProps, name: SettingsField): FieldProps => ({ ...props, name });

/** A colour swatch beside its field, so the owner sees what the hex means. */
function Swatch(props: { colour: string; label: string }) {
  return /^#[0-9a-fA-F]{6}$/.test(props.colour) ? <span class="swatch" role="img" aria-label={`${props.label} ${props.colour}`} style={`background:${props.colour}`}></span> : null;
}

export function SenderForm(props: FormProps & { warnings: string[] }) {
  const s = props.t.settings;
  const logo = props.values.brandLogoUrl ?? '';
  return (
    <>
      <section>
        <h2>{s.sections.sender}</h2>
        <TextField {...at(props, 'fromName')} autocomplete="organization" />
        <TextField {...at(props, 'fromEmail')} type="email" inputmode="email" autocomplete="email" />
        <TextField {...at(props, 'replyTo')} type="email" inputmode="email" autocomplete="email" />
        <TextField {...at(props, 'postalAddress')} textarea={true} />
      </section>
      <section>
        <h2>{s.sections.brand}</h2>
        {props.warnings.length > 0 && (
          <div class="banner warning" role="status">
            <ul>{props.warnings.map((w) => <li>{w}</li>)}</ul>
          </div>
        )}
        <TextField {...at(props, 'displayName')} />
        <TextField {...at(props, 'brandLogoUrl')} type="url" inputmode="url" />
        <figure class="logo-preview">
          <figcaption class="muted">{s.logoPreview}</figcaption>
          {/^https:\/\//.test(logo) && !props.errors.brandLogoUrl ? <img src={logo} alt={s.logoPreview} /> : <p class="muted">{s.noLogo}</p>}
        </figure>
        <TextField {...at(props, 'brandPrimaryColor')} after={<Swatch colour={props.values.brandPrimaryColor ?? ''} label={s.swatch} />} />
        <TextField {...at(props, 'brandAccentColor')} after={<Swatch colour={props.values.brandAccentColor ?? ''} label={s.swatch} />} />
      </section>
    </>
  );
}

export function ProvidersForm(props: FormProps & { secrets: Record<'postmarkServerToken' | 'postmarkWebhookPassword' | 'smsAuthToken', { set: boolean; last4?: string }> }) {
  const s = props.t.settings;
  return (
    <>
      <p class="muted">{s.providersHelp}</p>
      <section>
        <h2>{s.sections.postmark}</h2>
        <SecretField {...at(props, 'postmarkServerToken')} state={props.secrets.postmarkServerToken} />
        <TextField {...at(props, 'postmarkMessageStream')} />
        <TextField {...at(props, 'postmarkWebhookUser')} />
        <SecretField {...at(props, 'postmarkWebhookPassword')} state={props.secrets.postmarkWebhookPassword} />
      </section>
      <section>
        <h2>{s.sections.sms}</h2>
        <TextField {...at(props, 'smsAccountSid')} />
        <SecretField {...at(props, 'smsAuthToken')} state={props.secrets.smsAuthToken} />
        <TextField {...at(props, 'smsFrom')} inputmode="tel" autocomplete="tel" />
        <TextField {...at(props, 'smsMessagingServiceSid')} />
      </section>
    </>
  );
}

function SmsDays(props: FormProps) {
  const s = props.t.settings;
  const invalid = Boolean(props.errors.smsDays);
  return (
    <fieldset class="set-days" aria-describedby={invalid ? 'f-smsDays-error' : undefined}>
      <legend>{s.labels.smsDays}</legend>
      {s.weekdays.map((day, i) => (
        <label>
          <input type="checkbox" name={`smsDay${i + 1}`} checked={props.values[`smsDay${i + 1}`] === 'on'} />
          {day}
        </label>
      ))}
      {invalid && <p id="f-smsDays-error" class="field-error">{s.errors.smsDays}</p>}
    </fieldset>
  );
}

export function GuardrailsForm(props: FormProps) {
  const s = props.t.settings;
  const num = (name: SettingsField) => <TextField {...at(props, name)} inputmode="numeric" />;
  return (
    <>
      <section>
        <h2>{s.sections.caps}</h2>
        {num('emailCap')}
        <TextField {...at(props, 'emailWindowDays')} />
        {num('smsCap')}
        <TextField {...at(props, 'smsWindowDays')} />
        {num('overallCap')}
        <TextField {...at(props, 'overallWindowDays')} />
        <CheckField {...at(props, 'oneFlowPerDay')} />
      </section>
      <section>
        <h2>{s.sections.hours}</h2>
        {num('wakeHour')}
        {num('sleepHour')}
        <CheckField {...at(props, 'sendTimeOptimization')} />
        {num('sendTimeMinEngagements')}
      </section>
      <section>
        <h2>{s.sections.smsWindow}</h2>
        <TextField {...at(props, 'smsOpens')} />
        <TextField {...at(props, 'smsCloses')} />
        <SmsDays {...props} />
      </section>
      <section>
        <h2>{s.sections.behaviour}</h2>
        <TextField {...at(props, 'hibernationDays')} />
        <TextField {...at(props, 'repromotionDays')} />
      </section>
    </>
  );
}

export function PrivacyForm(props: FormProps) {
  const s = props.t.settings;
  return (
    <section>
      <h2>{s.sections.consent}</h2>
      <CheckField {...at(props, 'doubleOptIn')} />
      <TextField {...at(props, 'confirmationDays')} />
      <TextField {...at(props, 'eventRetentionMonths')} inputmode="numeric" />
      <CheckField {...at(props, 'openTracking')} />
    </section>
  );
}
