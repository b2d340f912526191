import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { RemoveWorkspaceDialog } from './RemoveWorkspaceDialog';

describe('RemoveWorkspaceDialog', () => {
  it('names the workspace, says what is deleted and that the checkout is left alone', () => {
    const html = renderToStaticMarkup(
      <RemoveWorkspaceDialog name="calc" onConfirm={() => undefined} onCancel={() => undefined} />,
    );
    expect(html).toContain('role="dialog"');
    expect(html).toContain('Remove calc?');
    expect(html).toContain('the attempt branches (each kept as a backup ref until backups expire)');
    expect(html).toContain('Your checkout, its branches and the target branch are left as they are.');
    expect(html).toMatch(
      /<button type="button">Cancel<\/button><button type="button" class="danger">Remove workspace<\/button>/,
    );
  });
});
