import type { InputHTMLAttributes, ReactNode } from 'react';
import { hashOf, useNavigation, type PageId } from '../stores/navigation';

export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: string; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle ? <p className="muted">{subtitle}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}

export function Panel({ title, children }: { title?: string; children: ReactNode }) {
  return (
    <section className="panel" aria-label={title}>
      {title ? <h2 className="panel-title">{title}</h2> : null}
      {children}
    </section>
  );
}

/** A message announced to screen readers (an alert interrupts, a status waits); nothing when there is none. */
function Announcement({ text, className, role }: { text: string | null; className: string; role: 'alert' | 'status' }) {
  if (!text) return null;
  return (
    <div className={className} role={role}>
      {text}
    </div>
  );
}

export function ErrorMessage({ error }: { error: string | null }) {
  return <Announcement text={error} className="error-message" role="alert" />;
}

/** What an action did. */
export function SuccessMessage({ message }: { message: string | null }) {
  return <Announcement text={message} className="success-message" role="status" />;
}

/** A link to an item of a page: a real href (copy, open in a new tab) that navigates in place when clicked. */
export function PageLink({ page, item, children }: { page: PageId; item: string; children: ReactNode }) {
  const go = useNavigation((state) => state.go);
  return (
    <a
      href={hashOf(page, item)}
      className="workflow-link"
      onClick={(event) => {
        event.preventDefault();
        go(page, item);
      }}
    >
      {children}
    </a>
  );
}

/** An ISO timestamp in the user's locale, machine-readable in `dateTime`. */
export function LocalTime({ iso }: { iso: string }) {
  return <time dateTime={iso}>{new Date(iso).toLocaleString()}</time>;
}

/**
 * A number input for a value that may be NaN (what `valueAsNumber` gives for an empty or unfinished
 * entry): NaN shows as blank, so the user can clear the field and type anew.
 */
export function NumberInput({
  value,
  onChange,
  ...attributes
}: { value: number; onChange(value: number): void } & Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'type' | 'value' | 'onChange'
>) {
  return (
    <input
      type="number"
      {...attributes}
      value={Number.isNaN(value) ? '' : value}
      onChange={(event) => onChange(event.target.valueAsNumber)}
    />
  );
}

/** A term and its value shown as code (an id, a path), inside a `<dl className="details">`. */
export function CodeDetail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>
        <code>{children}</code>
      </dd>
    </>
  );
}

/** A table's header row: a column header for each entry, in order (the columns never move). */
export function TableHead({ columns }: { columns: ReactNode[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column, index) => (
          <th scope="col" key={index}>
            {column}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** An honest empty state: says what is here, and what the user can do about it. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <h2>{title}</h2>
      {children}
    </div>
  );
}

/**
 * A modal form: a click outside it or Cancel closes it; submitting (the button or Enter) calls `onSubmit`
 * without reloading the page.
 */
export function DialogForm(props: {
  label: string;
  title: ReactNode;
  className?: string;
  submitLabel: string;
  submitDisabled: boolean;
  onSubmit(): void;
  onCancel(): void;
  children: ReactNode;
}) {
  return (
    <div className="modal-backdrop" onClick={props.onCancel}>
      <form
        className={props.className ? `modal ${props.className}` : 'modal'}
        role="dialog"
        aria-label={props.label}
        onClick={(event) => event.stopPropagation()}
        onSubmit={(event) => {
          event.preventDefault();
          props.onSubmit();
        }}
      >
        <h2>{props.title}</h2>
        {props.children}
        <div className="modal-actions">
          <button type="button" className="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={props.submitDisabled}>
            {props.submitLabel}
          </button>
        </div>
      </form>
    </div>
  );
}

/** A row of tabs, one of them selected (styled through `aria-selected`). */
export function TabList<Id extends string>(props: {
  tabs: ReadonlyArray<{ id: Id; label: string }>;
  selected: NoInfer<Id>;
  onSelect(id: NoInfer<Id>): void;
  className: string;
  tabClassName: string;
  label?: string;
}) {
  return (
    <div className={props.className} role="tablist" aria-label={props.label}>
      {props.tabs.map((tab) => (
        <button
          key={tab.id}
          type="button"
          role="tab"
          aria-selected={props.selected === tab.id}
          className={props.tabClassName}
          onClick={() => props.onSelect(tab.id)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
