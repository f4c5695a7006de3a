import { NodeResizer, type NodeProps } from '@xyflow/react';
import { memo, useState } from 'react';
import type { Annotation } from '@shared/workflow';
import { editorStore } from '../document/editor';

export const ANNOTATION_PREFIX = 'annotation:';

export interface AnnotationData extends Record<string, unknown> {
  annotationId: string;
  kind: Annotation['kind'];
  text: string;
}

/** A sticky note or a labelled group frame on the canvas; resizable, text edited in place. */
export const AnnotationView = memo(function AnnotationView({ data, selected }: NodeProps) {
  const { annotationId, kind, text } = data as AnnotationData;
  const [editing, setEditing] = useState(false);
  const store = editorStore.getState;

  return (
    <div
      className={`annotation annotation-${kind}${selected ? ' selected' : ''}`}
      data-testid={`annotation-${annotationId}`}
      onDoubleClick={() => setEditing(true)}
    >
      <NodeResizer
        isVisible={selected}
        minWidth={80}
        minHeight={40}
        onResizeStart={() => store().checkpoint()}
        onResize={(_event, box) =>
          store().updateAnnotation(
            annotationId,
            { position: { x: box.x, y: box.y }, size: { width: box.width, height: box.height } },
            { record: false },
          )
        }
      />
      {editing ? (
        <textarea
          className="annotation-editor nodrag"
          aria-label={kind === 'group' ? 'Group title' : 'Comment text'}
          autoFocus
          defaultValue={text}
          onFocus={() => store().checkpoint()}
          onChange={(event) => store().updateAnnotation(annotationId, { text: event.target.value }, { record: false })}
          onBlur={() => setEditing(false)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') setEditing(false);
            event.stopPropagation();
          }}
        />
      ) : (
        <div className="annotation-text">{text || (kind === 'comment' ? 'Double-click to write a note' : 'Group')}</div>
      )}
    </div>
  );
});
