import type { Rendered } from '../../editor/messages';
import { BLOCK_TYPES, fieldName, type BlockField, type BlockType, type EditBlock } from '../../editor/block-form';
import type { DashboardCopy, Lang } from '../copy';
import { CsrfField, Page, type PageProps, type StoreRef } from '../layout';
import { editorPath, Preview } from './message-editor';
import { flowName } from '../flow-copy';

export type BlockEditorProps = {
  t: DashboardCopy;
  lang: Lang;
  path: string;
  csrf: string;
  store: StoreRef;
  flow: { id: string; name: string };
  stepId: string;
  msgLang: 'fr' | 'en';
  subject: string;
  preheader: string;
  blocks: EditBlock[];
  preview: Rendered | null;
  notice?: PageProps['notice'];
};

const FIELDS: Partial<Record<BlockType, BlockField[]>> = {
  heading: ['text'],
  text: ['text'],
  image: ['src', 'alt', 'href'],
  button: ['label', 'href'],
};

function Input(props: { t: DashboardCopy; path: number[]; field: BlockField; value: string; rows?: number }) {
  const name = fieldName(props.path, props.field);
  const label = props.t.onboarding.blocks.fields[props.field];
  return (
    <label>
      {label}
      {props.rows ? <textarea name={name} rows={props.rows}>{props.value}</textarea> : <input type="text" name={name} value={props.value} />}
    </label>
  );
}

function TypeSelect(props: { t: DashboardCopy; name: string; leavesOnly: boolean }) {
  const b = props.t.onboarding.blocks;
  return (
    <label class="inline">
      {b.newType}{' '}
      <select name={props.name}>
        {BLOCK_TYPES.filter((type) => !(props.leavesOnly && type === 'if')).map((type) => (
          <option value={type}>{b.types[type]}</option>
        ))}
      </select>
    </label>
  );
}

function Moves(props: { t: DashboardCopy; where: string }) {
  const b = props.t.onboarding.blocks;
  return (
    <p class="actions">
      <button type="submit" name="do" value={`up:${props.where}`} class="secondary">{b.up}</button>{' '}
      <button type="submit" name="do" value={`down:${props.where}`} class="secondary">{b.down}</button>{' '}
      <button type="submit" name="do" value={`remove:${props.where}`} class="secondary">{b.remove}</button>
    </p>
  );
}

function Condition(props: { t: DashboardCopy; path: number[]; block: EditBlock }) {
  const b = props.t.onboarding.blocks;
  const cond = props.block.values.cond ?? 'property';
  return (
    <>
      <label>
        {b.fields.cond}{' '}
        <select name={fieldName(props.path, 'cond')}>
          {(['property', 'tag', 'segment', 'when'] as const).map((c) => (
            <option value={c} selected={c === cond}>{b.conds[c]}</option>
          ))}
        </select>
      </label>
      <Input t={props.t} path={props.path} field="key" value={props.block.values.key ?? ''} />
      <Input t={props.t} path={props.path} field="equals" value={props.block.values.equals ?? ''} />
    </>
  );
}

/** One block's fieldset: its type (carried as a hidden field), its inputs, its moves; a conditional block nests its own. */
function BlockFields(props: { t: DashboardCopy; path: number[]; block: EditBlock }) {
  const { t, path, block } = props;
  const b = t.onboarding.blocks;
  const where = path.join('-');
  const fields = FIELDS[block.type] ?? [];
  return (
    <fieldset class="block" id={`block-${where}`}>
      <legend>{`${path.map((n) => n + 1).join('.')} · ${b.types[block.type]}`}</legend>
      <input type="hidden" name={fieldName(path, 'type')} value={block.type} />
      {block.type === 'if' && <Condition t={t} path={path} block={block} />}
      {fields.map((field) => (
        <Input t={t} path={path} field={field} value={block.values[field] ?? ''} rows={field === 'text' && block.type === 'text' ? 4 : 0} />
      ))}
      {fields.length === 0 && block.type !== 'if' && <p class="muted">{b.fixed}</p>}
      {block.type === 'if' && (
        <div class="inside">
          <p class="muted">{b.inside}</p>
          {block.children.map((child, j) => (
            <BlockFields t={t} path={[path[0] ?? 0, j]} block={child} />
          ))}
          <p>
            <TypeSelect t={t} name={`new_type_${where}`} leavesOnly={true} />{' '}
            <button type="submit" name="do" value={`add:${where}`} class="secondary">{b.addInside}</button>
          </p>
        </div>
      )}
      <Moves t={t} where={where} />
    </fieldset>
  );
}

/** The message editor's block mode: every change is an ordinary form post that re-renders this page. */
export function BlockEditorPage(props: BlockEditorProps) {
  const { t } = props;
  const b = t.onboarding.blocks;
  const base = editorPath(props.store.id, props.flow.id, props.stepId);
  const action = `${base}/blocks?msg=${props.msgLang}`;
  return (
    <Page {...props} title={`${flowName(props.flow.id, props.lang, props.flow.name)} · ${b.title} (${t.lang[props.msgLang]})`} active="flows">
      <p>
        <a href={`${base}?msg=${props.msgLang}`}>{b.back}</a>
      </p>
      <section>
        <form method="post" action={action} id="block-form">
          <CsrfField token={props.csrf} />
          <label>
            {t.editor.subject}
            <input type="text" name="subject" value={props.subject} />
          </label>
          <label>
            {t.editor.preheader}
            <input type="text" name="preheader" value={props.preheader} />
          </label>
          {props.blocks.map((block, i) => (
            <BlockFields t={t} path={[i]} block={block} />
          ))}
          <p>
            <TypeSelect t={t} name="new_type" leavesOnly={false} />{' '}
            <button type="submit" name="do" value="add" class="secondary">{b.add}</button>
          </p>
          <p class="muted">{b.help}</p>
          <p class="actions">
            <button type="submit" name="do" value="save">{t.editor.save}</button>{' '}
            <button type="submit" name="do" value="preview" class="secondary">{t.editor.preview}</button>{' '}
            <button type="submit" name="do" value="test" class="secondary">{t.editor.test}</button>
          </p>
        </form>
      </section>
      {props.preview && <Preview t={t} preview={props.preview} />}
    </Page>
  );
}
