import { javascript } from '@codemirror/lang-javascript';
import { python } from '@codemirror/lang-python';
import { oneDark } from '@codemirror/theme-one-dark';
import { EditorView } from '@codemirror/view';
import CodeMirror from '@uiw/react-codemirror';
import { useMemo } from 'react';

export type EditorLanguage = 'python' | 'javascript' | 'text';

/**
 * The editor for prompts, templates and code: CodeMirror with syntax highlighting for code, soft wrap
 * for prose, undo inside the field, and Tab that indents code instead of leaving it.
 */
export function CodeEditor(props: {
  value: string;
  language: EditorLanguage;
  label: string;
  minHeight?: string;
  onChange(value: string): void;
  onFocus?(): void;
}) {
  const extensions = useMemo(() => {
    const base = [EditorView.contentAttributes.of({ 'aria-label': props.label })];
    if (props.language === 'python') return [...base, python()];
    if (props.language === 'javascript') return [...base, javascript()];
    return [...base, EditorView.lineWrapping];
  }, [props.language, props.label]);

  return (
    <CodeMirror
      className={`code-mirror code-mirror-${props.language}`}
      value={props.value}
      theme={oneDark}
      extensions={extensions}
      minHeight={props.minHeight ?? '80px'}
      maxHeight="420px"
      indentWithTab={props.language !== 'text'}
      basicSetup={{
        lineNumbers: props.language !== 'text',
        foldGutter: false,
        highlightActiveLine: props.language !== 'text',
        autocompletion: false,
        searchKeymap: true,
      }}
      onFocus={props.onFocus}
      onChange={props.onChange}
    />
  );
}
